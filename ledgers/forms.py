"""The ledgers' forms: they validate and normalise; ``ledgers.actions`` decides."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask
from demands.models import DemandKind, Urgency
from files import uploads
from files.fields import AttachmentsField
from ledgers.actions.deeds import StageInput
from ledgers.models import DeedClass, DeedScore, EvidenceKind, ProblemSource, Severity
from org.models import Person, Unit
from text.forms import TextField

DATE = forms.DateInput(attrs={"type": "date"})
IMPORT_MAX = 10 * 1024 * 1024


class LedgerForm(forms.Form):
    """Campaign and unit, limited to what the person keeps."""

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects)

    def __init__(
        self,
        *args: Any,
        campaigns: QuerySet[Campaign],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class VisitForm(LedgerForm):
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    place = TextField(label=_("Place or grassroots unit visited"), max_length=200)
    participants = TextField(label=_("Participants"), widget=forms.Textarea)
    topic = TextField(label=_("Topic"), max_length=200)
    findings = TextField(
        label=_("Findings"),
        widget=forms.Textarea,
        required=False,
        help_text=_("One finding per line."),
    )

    def clean_findings(self) -> list[str]:
        lines = self.cleaned_data["findings"].splitlines()
        return [line.strip() for line in lines if line.strip()]


class ProblemForm(LedgerForm):
    source = forms.ChoiceField(label=_("Source"), choices=ProblemSource.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    main_task = forms.ModelChoiceField(
        label=_("Main task"), queryset=MainTask.objects, required=False
    )
    description = TextField(label=_("Description"), widget=forms.Textarea)
    demand = TextField(
        label=_("Demand tracking number"),
        max_length=20,
        required=False,
        help_text=_("For a problem raised from a demand your unit handled."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaigns = self.fields["campaign"].queryset  # type: ignore[attr-defined]
        self.fields["main_task"].queryset = MainTask.objects.filter(  # type: ignore[attr-defined]
            campaign__in=campaigns
        )


class FindingToProblemForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    main_task = forms.ModelChoiceField(
        label=_("Main task"), queryset=MainTask.objects, required=False
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["main_task"].queryset = campaign.main_tasks.all()  # type: ignore[attr-defined]


class FindingToDemandForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DemandKind.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.username})"


class MeasureForm(forms.Form):
    description = TextField(label=_("Measure"), widget=forms.Textarea)
    owner = PersonField(
        label=_("Responsible person"), queryset=Person.objects, required=False
    )
    reviewer = PersonField(label=_("Reviewer"), queryset=Person.objects, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner", "reviewer"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = TextField(label=_("Note"), widget=forms.Textarea, required=False)
    before = AttachmentsField(label=_("Evidence before (整改前)"), required=False)
    after = AttachmentsField(label=_("Evidence after (整改後)"), required=False)

    def evidence(self) -> list[tuple[str, Any]]:
        data = self.cleaned_data
        return [(EvidenceKind.BEFORE, f) for f in data["before"] or []] + [
            (EvidenceKind.AFTER, f) for f in data["after"] or []
        ]


class ConfirmForm(forms.Form):
    pass


class ReasonForm(forms.Form):
    reason = TextField(label=_("Reason"), widget=forms.Textarea)


class PublishForm(forms.Form):
    published = forms.BooleanField(label=_("Published"), required=False)


class DeedForm(LedgerForm):
    title = TextField(label=_("Title"), max_length=200)
    deed_class = forms.ChoiceField(label=_("Class"), choices=DeedClass.choices)
    beneficiaries = TextField(label=_("Beneficiaries"), max_length=200)
    target = TextField(label=_("Target"), widget=forms.Textarea)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    stages = TextField(
        label=_("Stages"),
        widget=forms.Textarea,
        required=False,
        help_text=_("For a deed in stages: one stage a line, “name | YYYY-MM-DD”."),
    )

    def clean_stages(self) -> list[StageInput]:
        return parse_stages(self.cleaned_data["stages"])


def parse_stages(text: str) -> list[StageInput]:
    stages = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _sep, day = line.rpartition("|")
        try:
            due = forms.DateField().clean(day.strip())
        except ValidationError:
            due = None
        if not name.strip() or due is None:
            raise ValidationError(
                _("“%(line)s” is not “name | YYYY-MM-DD”.") % {"line": line.strip()}
            )
        stages.append(StageInput(name.strip(), due))
    return stages


class DeedProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = TextField(label=_("Note"), widget=forms.Textarea, required=False)
    photos = AttachmentsField(label=_("Photos"), required=False)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"), choices=DeedScore.choices, coerce=int
    )


class ImportForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects)
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self) -> File:
        checked = uploads.check_upload(
            self.cleaned_data["file"], {".xlsx": uploads.XLSX}, max_bytes=IMPORT_MAX
        )
        return checked.file

    def __init__(
        self, *args: Any, campaigns: QuerySet[Campaign], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class LedgerFilterForm(forms.Form):
    """A ledger list's filters (GET), every one optional; a ledger shows those of
    its fields that apply to it (``fields``)."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("All campaigns"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("All sources")), *ProblemSource.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(
        self,
        *args: Any,
        fields: tuple[str, ...],
        campaigns: QuerySet[Campaign],
        units: QuerySet[Unit],
        statuses: list[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        if "unit" in self.fields:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if "status" in self.fields:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                ("", _("All statuses")),
                *statuses,
            ]


class _HotspotForm(forms.Form):
    """The office's one step from a hotspot: the unit that takes it on, any unit
    of the campaign's organisation."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            organisation_id=campaign.organisation_id
        ).order_by("path")


class HotspotDeedForm(_HotspotForm):
    title = TextField(label=_("Title"), max_length=200)
    deed_class = forms.ChoiceField(
        label=_("Class"),
        choices=[
            (value, label)
            for value, label in DeedClass.choices
            if value != DeedClass.STAGED
        ],
    )
    beneficiaries = TextField(label=_("Beneficiaries"), max_length=200)
    target = TextField(label=_("Target"), widget=forms.Textarea(attrs={"rows": 2}))
    # a date field's value is ISO whatever the language (the form is filled in)
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class HotspotProblemForm(_HotspotForm):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = TextField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2})
    )
