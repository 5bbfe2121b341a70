"""The campaign in the back office: its plan and its bodies, scoped to each person's
campaigns."""

from functools import partial
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup

from campaigns.access import (
    campaign_rows_for_user,
    campaigns_for_user,
    decisions_for_user,
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
    Milestone,
    Phase,
    Position,
    Requirement,
    Responsibility,
)
from campaigns.org_admin import OrganisationGroup
from campaigns.plan_access import (
    milestones_for_user,
    responsibilities_for_user,
)
from campaigns.plan_views import admin_urls as plan_admin_urls
from campaigns.seats import OFFICE, campaigns_where
from campaigns.structure import campaign_structure
from core.viewsets import AuditedCopyView, AuditedCreateView, ScopedModelViewSet
from org.models import Person, Unit


def _campaigns_to_change(model: Any, user: Any, *, write: bool = True) -> Any:
    return campaigns_for_user(user, perm=f"campaigns.change_{model._meta.model_name}")


def _bodies_to_change(user: Any, *, write: bool = True) -> Any:
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
            actor=self.request.user,
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
            actor=self.request.user,
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
    def scope(user: Any, *, write: bool = False) -> Any:
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
    host=lambda user, write=True: _office_people(user),
    attendees=lambda user, write=True: _office_people(user),
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


def _office_units(user: Any, *, write: bool = True) -> Any:
    organisations = campaigns_where(user, OFFICE).values("organisation")
    return Unit.objects.filter(organisation__in=organisations)


def _office_people(user: Any, *, write: bool = True) -> Any:
    """People of the organisations the user's office runs campaigns for."""
    campaigns = campaigns_where(user, OFFICE)
    return Person.objects.filter(
        Q(positions__body__campaign__in=campaigns)
        | Q(memberships__unit__in=_office_units(user))
    ).distinct()


def _office_phases(user: Any, *, write: bool = True) -> Any:
    return Phase.objects.filter(campaign__in=campaigns_where(user, OFFICE))


def _office_meetings(user: Any, *, write: bool = True) -> Any:
    return Meeting.objects.filter(campaign__in=campaigns_where(user, OFFICE))


def _office_tasks(user: Any, *, write: bool = True) -> Any:
    return MainTask.objects.filter(campaign__in=campaigns_where(user, OFFICE))


def _office_campaigns(user: Any, *, write: bool = True) -> Any:
    return campaigns_where(user, OFFICE)


def _unit_names(units: Any) -> str:
    return "、".join(str(unit) for unit in units.all()) or "—"


class ResponsibilityIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().prefetch_related("cooperating_units")


class ResponsibilityViewSet(ScopedModelViewSet):
    model = Responsibility
    icon = "list-ul"
    menu_label = _("Responsibilities")
    form_fields = [
        "campaign",
        "sequence",
        "work_item",
        "lead_unit",
        "cooperating_units",
        "main_task",
    ]
    list_display = [
        "work_item",
        "lead_unit",
        Column(
            "cooperating_units",
            label=capfirst(
                Responsibility._meta.get_field("cooperating_units").verbose_name
            ),
            accessor=lambda row: _unit_names(row.cooperating_units),
        ),
        "main_task",
        "campaign",
    ]
    list_filter = ["campaign"]
    index_view_class = ResponsibilityIndexView
    inspect_view_enabled = True
    scope = staticmethod(responsibilities_for_user)
    scoped_choices = {
        "campaign": _office_campaigns,
        "lead_unit": _office_units,
        "cooperating_units": _office_units,
        "main_task": _office_tasks,
    }


class MilestoneViewSet(ScopedModelViewSet):
    model = Milestone
    icon = "date"
    menu_label = _("Milestones")
    form_fields = ["phase", "title", "owner_unit", "owner_person", "due_on"]
    list_display = ["title", "phase", "owner_unit", "owner_person", "due_on", "done_on"]
    list_filter = ["phase__campaign"]
    inspect_view_enabled = True
    scope = staticmethod(milestones_for_user)
    scoped_choices = {
        "phase": _office_phases,
        "owner_unit": _office_units,
        "owner_person": _office_people,
    }


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
        "meeting": _office_meetings,
        "owner_unit": _office_units,
        "owner_person": _office_people,
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
        ResponsibilityViewSet,
        MilestoneViewSet,
    )


@hooks.register("register_admin_viewset")
def register_campaign_viewsets() -> ViewSetGroup:
    return CampaignGroup()


class CampaignStructurePanel(Component):
    """The back office's first screen: each of the user's campaigns with its tasks and
    the people who lead it."""

    name = "campaign_structure"
    order = 50
    template_name = "campaigns/structure_panel.html"

    def __init__(self, user: Any) -> None:
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


@hooks.register("register_admin_urls")
def register_plan_urls() -> list[Any]:
    return plan_admin_urls()


class PlansMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("campaigns.view_unitplan")


@hooks.register("register_admin_menu_item")
def register_plans_menu_item() -> MenuItem:
    return PlansMenuItem(
        _("Plans and schedule"),
        reverse_lazy("campaign_plans:index"),
        name="campaign_plans",
        icon_name="list-ul",
        order=210,
    )


@hooks.register("register_admin_viewset")
def register_organisation_viewsets() -> ViewSetGroup:
    return OrganisationGroup()
