"""The demands' back-office screens.

The office's list, a demand's page with its steps and the staff intake live under
/admin/demands/ (``demands.views.office``); the dispatch catalogue, the reply
deadlines and the working-day calendar are reference data edited through viewsets.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton

from campaigns.access import campaigns_for_user
from campaigns.models import Campaign, MainTask
from core.viewsets import ScopedModelViewSet
from demands.models import Area, Category, DeadlineRule
from demands.office_forms import CategoryForm
from demands.views import calendar
from demands.views.office import VIEW_PERM, admin_urls
from org.actors import Viewer
from org.models import Unit, WorkdayOverride

# Other screens of the demands app (metrics, supervision…) import here:


def _campaigns(user: Viewer, model: str, *, write: bool) -> QuerySet[Campaign]:
    verb = "change" if write else "view"
    return campaigns_for_user(user, perm=f"demands.{verb}_{model}")


def _categories(user: Viewer, *, write: bool = False) -> QuerySet[Category]:
    return Category.objects.filter(
        campaign__in=_campaigns(user, "category", write=write)
    )


def _deadline_rules(user: Viewer, *, write: bool = False) -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.filter(
        campaign__in=_campaigns(user, "deadlinerule", write=write)
    )


def _category_campaigns(user: Viewer, *, write: bool = True) -> QuerySet[Campaign]:
    return _campaigns(user, "category", write=True)


def _category_tasks(user: Viewer, *, write: bool = True) -> QuerySet[MainTask]:
    return MainTask.objects.filter(campaign__in=_category_campaigns(user))


def _category_units(user: Viewer, *, write: bool = True) -> QuerySet[Unit]:
    return Unit.objects.filter(
        organisation__in=_category_campaigns(user).values("organisation")
    )


def _rule_campaigns(user: Viewer, *, write: bool = True) -> QuerySet[Campaign]:
    return _campaigns(user, "deadlinerule", write=True)


def _workday_overrides(
    user: Viewer, *, write: bool = False
) -> QuerySet[WorkdayOverride]:
    # One calendar for every campaign, so only an office director (or a superuser)
    # keeps it; the role mapping grants the permission.
    perm = "org.change_workdayoverride" if write else "org.view_workdayoverride"
    if user.is_active and user.has_perm(perm):
        return WorkdayOverride.objects.all()
    return WorkdayOverride.objects.none()


class CategoryViewSet(ScopedModelViewSet):
    model = Category
    name = "demand_category"
    icon = "tag"
    menu_label = _("Dispatch catalogue")
    form_fields = [
        "campaign",
        "name",
        "keywords",
        "main_task",
        "default_unit",
        "on_site",
        "is_active",
    ]
    list_display = ["name", "main_task", "default_unit", "is_active", "campaign"]
    list_filter = ["campaign", "is_active"]
    search_fields = ["name"]
    inspect_view_enabled = True
    scope = staticmethod(_categories)
    scoped_choices = {
        "campaign": _category_campaigns,
        "main_task": _category_tasks,
        "default_unit": _category_units,
    }

    def get_form_class(self, for_update: bool = False) -> Any:
        from django.forms import modelform_factory

        base = type(
            "CategoryScopedForm",
            (CategoryForm,),
            {"scoped_choices": self.scoped_choices},
        )
        return modelform_factory(
            self.model,
            form=base,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.get_form_fields(),
            exclude=self.get_exclude_form_fields(),
        )


def _areas(user: Viewer, *, write: bool = False) -> QuerySet[Area]:
    return Area.objects.filter(campaign__in=_campaigns(user, "area", write=write))


def _area_campaigns(user: Viewer, *, write: bool = True) -> QuerySet[Campaign]:
    return _campaigns(user, "area", write=True)


def _area_districts(user: Viewer, *, write: bool = True) -> QuerySet[Area]:
    return _areas(user, write=True).filter(district__isnull=True)


class AreaViewSet(ScopedModelViewSet):
    """The campaign's districts and the streets or towns in each, offered on the
    demand forms (demands.places)."""

    model = Area
    name = "demand_area"
    icon = "site"
    menu_label = _("Districts and streets")
    form_fields = ["campaign", "district", "name", "sequence", "is_active"]
    list_display = ["name", "district", "is_active", "campaign"]
    list_filter = ["campaign", "is_active"]
    search_fields = ["name"]
    inspect_view_enabled = True
    scope = staticmethod(_areas)
    scoped_choices = {"campaign": _area_campaigns, "district": _area_districts}


class DeadlineRuleViewSet(ScopedModelViewSet):
    model = DeadlineRule
    name = "deadline_rule"
    icon = "time"
    menu_label = _("Reply deadlines")
    form_fields = ["campaign", "kind", "reply_days"]
    list_display = ["kind", "reply_days", "campaign"]
    list_filter = ["campaign", "kind"]
    inspect_view_enabled = True
    scope = staticmethod(_deadline_rules)
    scoped_choices = {"campaign": _rule_campaigns}


class WorkdayOverrideIndexView(IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        notice = HeaderButton(
            _("Enter the year's holiday notice"),
            url=reverse("demands_calendar:notice"),
            icon_name="date",
        )
        return [*super().header_buttons, notice]


class WorkdayOverrideViewSet(ScopedModelViewSet):
    model = WorkdayOverride
    index_view_class = WorkdayOverrideIndexView
    name = "workday_override"
    icon = "date"
    menu_label = _("Working-day calendar")
    form_fields = ["day", "is_workday", "note"]
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    inspect_view_enabled = True
    scope = staticmethod(_workday_overrides)


class DemandSettingsGroup(ViewSetGroup):
    menu_label = _("Demand settings")
    menu_icon = "cog"
    menu_order = 230
    items = (
        CategoryViewSet,
        AreaViewSet,
        DeadlineRuleViewSet,
        WorkdayOverrideViewSet,
    )


@hooks.register("register_admin_viewset")
def register_demand_viewsets() -> ViewSetGroup:
    return DemandSettingsGroup()


class DemandsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW_PERM)


@hooks.register("register_admin_urls")
def register_demand_urls() -> list[Any]:
    return admin_urls()


@hooks.register("register_admin_urls")
def register_calendar_urls() -> list[Any]:
    return calendar.admin_urls()


@hooks.register("register_admin_menu_item")
def register_demands_menu_item() -> MenuItem:
    return DemandsMenuItem(
        _("Demands"),
        reverse_lazy("demands_office:index"),
        name="demands",
        icon_name="help",
        order=220,
    )


import demands.views.followup  # noqa: E402  (return visits, notices)
import demands.views.metrics  # noqa: E402, F401  (registers the metrics screens)
