"""The plans in the back office: their screens under /admin/plans/, the menu item
that leads there, and the division of duties and the schedule among the campaign's
screens (``campaigns.wagtail_hooks`` collects them through the
``register_campaign_viewset`` hook)."""

from typing import Any

from django.db.models import Manager
from django.http import HttpRequest
from django.urls import URLResolver, reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView

from campaigns.access import (
    office_campaign_choices,
    office_people_choices,
    office_phase_choices,
    office_task_choices,
    office_unit_choices,
)
from core.viewsets import ScopedModelViewSet
from org.models import Unit
from plans.access import milestones_for_user, responsibilities_for_user
from plans.models import Milestone, Responsibility
from plans.views import admin_urls


def _unit_names(units: "Manager[Unit]") -> str:
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
        "campaign": office_campaign_choices,
        "lead_unit": office_unit_choices,
        "cooperating_units": office_unit_choices,
        "main_task": office_task_choices,
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
        "phase": office_phase_choices,
        "owner_unit": office_unit_choices,
        "owner_person": office_people_choices,
    }


@hooks.register("register_campaign_viewset")
def register_responsibility_viewset() -> ScopedModelViewSet:
    return ResponsibilityViewSet()


@hooks.register("register_campaign_viewset")
def register_milestone_viewset() -> ScopedModelViewSet:
    return MilestoneViewSet()


@hooks.register("register_admin_urls")
def register_plan_urls() -> list[URLResolver]:
    return admin_urls()


class PlansMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("plans.view_unitplan")


@hooks.register("register_admin_menu_item")
def register_plans_menu_item() -> MenuItem:
    return PlansMenuItem(
        _("Plans and schedule"),
        reverse_lazy("campaign_plans:index"),
        name="campaign_plans",
        icon_name="list-ul",
        order=210,
    )
