"""Forms of the demands' back-office screens: they validate and normalise; the
actions in ``demands.actions`` decide."""

import hashlib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.access import campaigns_for_user
from campaigns.models import Campaign, MainTask
from core.viewsets import ScopedModelForm
from core.widgets import LongSelect
from demands.metrics import RATE_DEFINITIONS
from demands.models import (
    STAFF_CHANNELS,
    Category,
    Demand,
    DemandKind,
    DemandStatus,
    SupervisionLevel,
    Urgency,
)
from demands.places import PlaceFormMixin
from demands.risk import level_choices
from files.fields import AttachmentsField
from org.actors import Viewer
from org.models import Unit
from text.forms import TextField


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


# the list's status filter also offers every open status at once (the cockpit's
# "open now" figure); its main task filter, the demands with none
OPEN = "open"
NO_MAIN_TASK = "none"
# the list's order by breach risk (``demands.risk``) instead of newest first
BY_RISK = "risk"


class DemandFilterForm(forms.Form):
    """The office list's filters (GET); every field is optional. The cockpit's
    figures and charts link here with the campaign, the period (submitted from
    ``start`` to ``end``) and the condition behind the figure (``rate``: the
    demands a rate is a share of), so the list holds the figure's rows."""

    q = TextField(label=_("Tracking number or title"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("All campaigns"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            *_blank(_("All statuses")),
            (OPEN, _("Open (any open status)")),
            *DemandStatus.choices,
        ],
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
        widget=LongSelect,
    )
    main_task = forms.ChoiceField(label=_("Main task"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=_blank(_("All kinds")) + list(DemandKind.choices),
        required=False,
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=_blank(_("Any urgency")) + list(Urgency.choices),
        required=False,
    )
    start = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Submitted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rate = forms.ChoiceField(
        label=_("Counted in the rate"),
        choices=_blank(_("Any demand"))
        + [(rate.name, rate.label) for rate in RATE_DEFINITIONS],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    duplicates = forms.BooleanField(label=_("Possible duplicates only"), required=False)
    # early warning (demands.risk): the chance a unit misses its reply deadline
    risk = forms.ChoiceField(label=_("Breach risk"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("", _("Newest first")),
            (BY_RISK, _("Highest breach risk first")),
        ],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        campaigns: QuerySet[Campaign] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        campaigns = campaigns if campaigns is not None else Campaign.objects.none()
        field: Any = self.fields["unit"]
        field.queryset = units
        campaign: Any = self.fields["campaign"]
        campaign.queryset = campaigns.order_by("-starts_on", "pk")
        risk: Any = self.fields["risk"]
        risk.choices = [("", _("Any risk")), *level_choices()]
        tasks: Any = self.fields["main_task"]
        tasks.choices = [
            ("", _("All main tasks")),
            *(
                (str(pk), name)
                for pk, name in MainTask.objects.filter(campaign__in=campaigns)
                .order_by("campaign_id", "sequence")
                .values_list("pk", "name")
            ),
            (NO_MAIN_TASK, _("Uncategorised")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=Unit.objects.none(),
        empty_label=None,
        widget=LongSelect,
    )
    note = TextField(
        label=_("Note to the unit"), required=False, widget=forms.TextInput
    )

    def __init__(self, *args: Any, demand: Demand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = Unit.objects.filter(
            organisation_id=demand.campaign.organisation_id
        ).order_by("path")
        # The dispatch catalogue names the unit, so dispatching is one click.
        if demand.category is not None and not self.is_bound:
            self.initial["unit"] = demand.category.default_unit_id


class AcceptForm(forms.Form):
    """Nothing to fill in: accepting (簽收) is one click."""


def _reason(form: forms.Form) -> str:
    reason: str = form.cleaned_data["reason"].strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    return reason


class ReturnForm(forms.Form):
    reason = TextField(
        label=_("Why is this not your unit's demand?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    clean_reason = _reason


class SuperviseForm(forms.Form):
    note = TextField(
        label=_("Supervision note to the unit"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    days = forms.IntegerField(
        label=_("Deadline (working days)"),
        min_value=1,
        max_value=30,
        initial=3,
        required=False,
        help_text=_(
            "Unanswered by then, the supervision is escalated to the unit's head "
            "and the leading group. Leave empty for no deadline."
        ),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=SupervisionLevel.choices,
        initial=SupervisionLevel.OFFICE,
    )


class RecallForm(forms.Form):
    reason = TextField(
        label=_("Why is the demand recalled?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    clean_reason = _reason


class ReassignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("New handling unit"),
        queryset=Unit.objects.none(),
        empty_label=None,
        widget=LongSelect,
    )
    reason = TextField(
        label=_("Why is the demand reassigned?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    clean_reason = _reason

    def __init__(self, *args: Any, demand: Demand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = (
            Unit.objects.filter(organisation_id=demand.campaign.organisation_id)
            .exclude(pk=demand.unit_id)
            .order_by("path")
        )


class MergeForm(forms.Form):
    """The duplicate's parent order, by its tracking number (a suggestion fills it
    in with one click)."""

    parent = TextField(
        label=_("Tracking number of the parent order"),
        max_length=20,
        widget=forms.TextInput,
    )
    reason = TextField(
        label=_("Why are they one demand?"),
        required=False,
        widget=forms.TextInput,
    )

    def clean_parent(self) -> str:
        parent: str = self.cleaned_data["parent"]
        return parent.strip().upper()


class SplitForm(forms.Form):
    reason = TextField(
        label=_("Why is it a demand of its own after all?"),
        required=False,
        widget=forms.TextInput,
    )


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = TextField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideExtensionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.HiddenInput,
    )
    note = TextField(label=_("Note"), required=False)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ReplyForm(forms.Form):
    reply = TextField(
        label=_("Reply to the submitter"), widget=forms.Textarea(attrs={"rows": 5})
    )
    solved = forms.TypedChoiceField(
        label=_("Was the problem solved?"),
        choices=[("yes", _("Solved")), ("no", _("Not solved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    photos = AttachmentsField(
        label=_("Photos of the site"),
        required=False,
        help_text=_("Asked for in categories of on-site work."),
    )
    # the checked text's fingerprint: the unit saw the flags of this very text and
    # sends it as it is (a changed text is checked again)
    confirm = forms.CharField(required=False, widget=forms.HiddenInput)

    def fingerprint(self) -> str:
        return reply_fingerprint(self.cleaned_data["reply"])

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data["confirm"]) and (
            self.cleaned_data["confirm"] == self.fingerprint()
        )


def reply_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class IntakeForm(PlaceFormMixin, forms.Form):
    """A demand the office takes in by phone, letter, visit or research visit."""

    field_order = [
        "campaign",
        "channel",
        "kind",
        "urgency",
        "category",
        "title",
        "content",
        "area",
        "location",
        "latitude",
        "longitude",
    ]

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=None
    )
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DemandKind.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Not yet known"),
    )
    title = TextField(label=_("Title"), max_length=200)
    content = TextField(label=_("What the person asks"), widget=forms.Textarea)
    location = TextField(label=_("Address or place"), max_length=200, required=False)
    submitter_name = TextField(
        label=_("Name of the person"), max_length=100, required=False
    )
    submitter_phone = TextField(
        label=_("Phone of the person"),
        max_length=30,
        required=False,
        help_text=_("Needed for the return visit (回訪)."),
    )
    allow_publish = forms.BooleanField(
        label=_("The person agrees that the reply is published (masked)"),
        required=False,
    )
    attachments = AttachmentsField(
        label=_("Attachments (images or PDF)"), required=False
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaigns = campaigns_for_user(user, perm="demands.add_demand")
        campaign_field: Any = self.fields["campaign"]
        campaign_field.queryset = campaigns
        category_field: Any = self.fields["category"]
        category_field.queryset = Category.objects.filter(
            campaign__in=campaigns, is_active=True
        )
        self.offer_areas(campaigns)

    def clean_submitter_phone(self) -> str:
        phone: str = self.cleaned_data["submitter_phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and len(digits) < 7:
            raise ValidationError(_("Enter a phone number of at least 7 digits."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        campaign, category = data.get("campaign"), data.get("category")
        if campaign and category and category.campaign_id != campaign.pk:
            self.add_error("category", _("This category belongs to another campaign."))
        area = data.get("area")
        if campaign and area and area.campaign_id != campaign.pk:
            self.add_error("area", _("This area belongs to another campaign."))
        return self.clean_place(data)


class CategoryForm(ScopedModelForm):
    """A catalogue entry's main task and default unit belong to its campaign."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        campaign = data.get("campaign")
        main_task: MainTask | None = data.get("main_task")
        unit: Unit | None = data.get("default_unit")
        if campaign and main_task and main_task.campaign_id != campaign.pk:
            self.add_error(
                "main_task", _("This main task belongs to another campaign.")
            )
        if campaign and unit and unit.organisation_id != campaign.organisation_id:
            self.add_error(
                "default_unit", _("This unit belongs to another organisation.")
            )
        return data
