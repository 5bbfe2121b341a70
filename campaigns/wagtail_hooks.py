"""The campaign in the back office: its frame, its bodies and its meetings, scoped
to each person's campaigns (the plans' screens are the plans app's)."""

from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup

from campaigns.access import (
    campaign_rows_for_user,
    campaigns_for_user,
    decisions_for_user,
    office_meeting_choices,
    office_people_choices,
    office_unit_choices,
    organisations_for_new_campaigns,
)
from campaigns.actions import create_campaign, seat_founder
from campaigns.copying import copy_campaign
from campaigns.models import (
    Body,
    Campaign,
    Decision,
    MainTask,
    Meeting,
    Phase,
    Position,
    Requirement,
)
from campaigns.org_admin import OrganisationGroup
from campaigns.structure import campaign_structure
from core.viewsets import AuditedCopyView, AuditedCreateView, ScopedModelViewSet
from org.actors import Viewer, person_of


def _campaigns_to_change(model: Any, user: Viewer, *, write: bool = True) -> Any:
    return campaigns_for_user(user, perm=f"campaigns.change_{model._meta.model_name}")


def _bodies_to_change(user: Viewer, *, write: bool = True) -> Any:
    return campaign_rows_for_user(Body, user, write=True)


class CampaignCreateView(AuditedCreateView):
    """A new campaign goes through ``create_campaign``; a person who is not a
    superuser is seated as its office's director (``seat_founder``), else they could
    not reach what they started."""

    def save_instance(self) -> Campaign:
        data = self.form.cleaned_data
        campaign = create_campaign(
            data["organisation"],
            **{name: data[name] for name in CAMPAIGN_FIELDS},
            actor=person_of(self.request),
        )
        if not self.request.user.is_superuser:
            seat_founder(campaign, self.request.user)
        return campaign


class CampaignCopyView(AuditedCopyView):
    """The next campaign from this one (``campaigns.copying``): the form's values,
    the rest of the settings and the frame copied, dates shifted. It stays in the
    source's organisation, whose units its catalogue names."""

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        del form.fields["organisation"]
        return form

    def get_add_url(self) -> str:
        # the form posts back here (Wagtail's copy form posts to the create view)
        return self.request.get_full_path()

    def save_instance(self) -> Campaign:
        data = self.form.cleaned_data
        return copy_campaign(
            self.get_object(),
            values={name: data[name] for name in CAMPAIGN_FIELDS},
            actor=person_of(self.request),
        )


# the campaign's own fields in its forms; the organisation is chosen when it starts
CAMPAIGN_FIELDS = [
    "name",
    "slug",
    "theme",
    "slogan",
    "ordered_by",
    "description",
    "starts_on",
    "ends_on",
    "status",
    "yellow_card_percent",
    "auto_dispatch_percent",
]


class CampaignViewSet(ScopedModelViewSet):
    model = Campaign
    icon = "flag"
    menu_label = _("Campaigns")
    add_view_class = CampaignCreateView
    copy_view_class = CampaignCopyView
    scoped_choices = {"organisation": organisations_for_new_campaigns}
    form_fields = CAMPAIGN_FIELDS
    list_display = ["name", "theme", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    inspect_view_enabled = True

    @staticmethod
    def scope(user: Viewer, *, write: bool = False) -> Any:
        return campaigns_for_user(
            user, perm="campaigns.change_campaign" if write else None
        )

    def form_fields_for(self, for_update: bool) -> list[str]:
        # the slug is in the campaign's addresses: set when it starts, then kept
        if for_update:
            return [name for name in CAMPAIGN_FIELDS if name != "slug"]
        return ["organisation", *CAMPAIGN_FIELDS]


def _campaign_rows_viewset(
    model: Any,
    icon: str,
    label: Any,
    fields: list[str],
    listed: list[str],
    **scoped_choices: Any,
) -> type[ScopedModelViewSet]:
    """A viewset of a campaign-owned model; the campaign choice is limited to the
    campaigns where the user may change that model."""
    return type(
        f"{model.__name__}ViewSet",
        (ScopedModelViewSet,),
        {
            "model": model,
            "icon": icon,
            "menu_label": label,
            "form_fields": ["campaign", *fields],
            "list_display": [*listed, "campaign"],
            "list_filter": ["campaign"],
            "inspect_view_enabled": True,
            "scope": staticmethod(partial(campaign_rows_for_user, model)),
            "scoped_choices": {
                "campaign": partial(_campaigns_to_change, model),
                **scoped_choices,
            },
        },
    )


PhaseViewSet = _campaign_rows_viewset(
    Phase,
    "date",
    _("Phases"),
    ["sequence", "name", "description", "starts_on", "ends_on"],
    ["sequence", "name", "starts_on", "ends_on"],
)
MainTaskViewSet = _campaign_rows_viewset(
    MainTask,
    "tasks",
    _("Main tasks"),
    ["sequence", "name", "description"],
    ["sequence", "name"],
)
RequirementViewSet = _campaign_rows_viewset(
    Requirement,
    "list-ol",
    _("Requirements"),
    ["sequence", "text", "description"],
    ["sequence", "text"],
)
BodyViewSet = _campaign_rows_viewset(
    Body,
    "group",
    _("Bodies"),
    ["parent", "kind", "name", "duties", "sequence"],
    ["name", "kind", "parent"],
    parent=_bodies_to_change,
)
MeetingViewSet = _campaign_rows_viewset(
    Meeting,
    "calendar",
    _("Meetings"),
    [
        "title",
        "held_on",
        "place",
        "host",
        "attendees",
        "attendance_note",
        "agenda",
        "minutes",
    ],
    ["held_on", "title", "place", "host"],
    host=office_people_choices,
    attendees=office_people_choices,
)


class MeetingInspectView(InspectView):
    """A meeting with its decisions, each with its owner, deadline and status: the
    ones the user may see as action items."""

    def get_fields(self) -> list[str]:
        return [*super().get_fields(), "decisions"]

    def get_field_label(self, field_name: str, field: Any) -> str:
        if field_name == "decisions":
            return capfirst(str(Decision._meta.verbose_name_plural))
        return str(super().get_field_label(field_name, field))

    def get_decisions_display_value(self) -> Any:
        items = decisions_for_user(self.request.user).filter(meeting=self.object)
        rows = items.select_related("owner_unit", "owner_person")
        if not rows:
            return "-"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} ({} {} · {}: {} · {})</li>",
                (
                    (
                        item.text,
                        item.owner_unit or "",
                        item.owner_person or "",
                        capfirst(Decision._meta.get_field("deadline").verbose_name),
                        date_format(item.deadline, "Y-m-d"),
                        item.get_status_display(),
                    )
                    for item in rows
                ),
            ),
        )


MeetingViewSet.inspect_view_class = MeetingInspectView


class DecisionViewSet(ScopedModelViewSet):
    model = Decision
    icon = "tasks"
    menu_label = _("Meeting decisions")
    form_fields = [
        "meeting",
        "sequence",
        "text",
        "owner_unit",
        "owner_person",
        "deadline",
    ]
    list_display = ["text", "meeting", "owner_unit", "deadline", "status"]
    list_filter = ["status", "meeting__campaign"]
    inspect_view_enabled = True
    scope = staticmethod(decisions_for_user)
    scoped_choices = {
        "meeting": office_meeting_choices,
        "owner_unit": office_unit_choices,
        "owner_person": office_people_choices,
    }


class PositionViewSet(ScopedModelViewSet):
    model = Position
    icon = "user"
    menu_label = _("Positions")
    form_fields = ["body", "person", "title", "post", "role", "sequence"]
    list_display = ["person", "title", "body", "role"]
    list_filter = ["role", "body__campaign"]
    inspect_view_enabled = True
    scope = staticmethod(partial(campaign_rows_for_user, Position))
    scoped_choices = {"body": _bodies_to_change}


class CampaignGroup(ViewSetGroup):
    menu_label = _("Campaign")
    menu_icon = "flag"
    menu_order = 200
    items = (
        CampaignViewSet,
        PhaseViewSet,
        MainTaskViewSet,
        RequirementViewSet,
        BodyViewSet,
        PositionViewSet,
        MeetingViewSet,
        DecisionViewSet,
    )


@hooks.register("register_admin_viewset")
def register_campaign_viewsets() -> ViewSetGroup:
    """The campaign's menu; the apps above campaigns add their own screens of a
    campaign's rows to it (after these) through the ``register_campaign_viewset``
    hook, each hook returning one viewset."""
    group = CampaignGroup()
    group.registerables += [fn() for fn in hooks.get_hooks("register_campaign_viewset")]
    return group


class CampaignStructurePanel(Component):
    """The back office's first screen: each of the user's campaigns with its tasks and
    the people who lead it."""

    name = "campaign_structure"
    order = 50
    template_name = "campaigns/structure_panel.html"

    def __init__(self, user: Viewer) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        campaigns = campaigns_for_user(self.user).prefetch_related("main_tasks")
        return {
            "campaigns": [
                (campaign, campaign_structure(campaign)) for campaign in campaigns
            ]
        }


@hooks.register("construct_homepage_panels")
def add_campaign_structure_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.append(CampaignStructurePanel(request.user))


@hooks.register("register_admin_viewset")
def register_organisation_viewsets() -> ViewSetGroup:
    return OrganisationGroup()
