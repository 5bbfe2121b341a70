"""The campaign in the back office: its plan and its bodies, scoped to each person's
campaigns."""

from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup

from campaigns.access import campaign_rows_for_user, campaigns_for_user
from campaigns.models import (
    Body,
    Campaign,
    MainTask,
    Meeting,
    Phase,
    Position,
    Requirement,
)
from campaigns.structure import campaign_structure
from sanfu.lib.viewsets import ScopedModelViewSet


def _campaigns_to_change(model: Any, user: Any, *, write: bool = True) -> Any:
    return campaigns_for_user(user, perm=f"campaigns.change_{model._meta.model_name}")


def _bodies_to_change(user: Any, *, write: bool = True) -> Any:
    return campaign_rows_for_user(Body, user, write=True)


class CampaignViewSet(ScopedModelViewSet):
    model = Campaign
    icon = "flag"
    menu_label = _("Campaigns")
    form_fields = [
        "name",
        "theme",
        "slogan",
        "ordered_by",
        "description",
        "starts_on",
        "ends_on",
        "status",
    ]
    list_display = ["name", "theme", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    inspect_view_enabled = True

    @staticmethod
    def scope(user: Any, *, write: bool = False) -> Any:
        return campaigns_for_user(
            user, perm="campaigns.change_campaign" if write else None
        )


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
    ["title", "held_on", "place", "host", "attendance_note", "agenda", "minutes"],
    ["held_on", "title", "host"],
)


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
