"""The evaluation in the back office: reference data (indicator sets, indicators,
rounds, surveys, questions) through scoped viewsets, the workflow screens through
``evaluation.views.admin``."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from campaigns.models import Campaign, MainTask, Position
from campaigns.seats import OFFICE, campaigns_where
from core.viewsets import ScopedModelViewSet
from evaluation import access
from evaluation.models import Indicator, IndicatorSet, InspectionRound, Question, Survey
from evaluation.views.admin import admin_urls
from org.actors import Viewer
from org.models import Person, Unit


def _run_campaigns(user: Viewer, *, write: bool = True) -> QuerySet[Campaign]:
    return campaigns_where(user, OFFICE)


def _run_tasks(user: Viewer, *, write: bool = True) -> QuerySet[MainTask]:
    return MainTask.objects.filter(campaign__in=campaigns_where(user, OFFICE))


def _run_units(user: Viewer, *, write: bool = True) -> QuerySet[Unit]:
    return Unit.objects.filter(
        organisation__in=campaigns_where(user, OFFICE).values("organisation")
    )


def _run_people(user: Viewer, *, write: bool = True) -> QuerySet[Person]:
    """Inspectors are chosen among the people seated in the campaign's bodies."""
    seated = Position.objects.filter(
        body__campaign__in=campaigns_where(user, OFFICE)
    ).values("person")
    return Person.objects.filter(pk__in=seated)


def _in_force_sets(user: Viewer, *, write: bool = True) -> QuerySet[IndicatorSet]:
    return access.indicator_sets_for_user(user, write=True)


class IndicatorSetViewSet(ScopedModelViewSet):
    model = IndicatorSet
    name = "indicator_set"
    icon = "list-ul"
    menu_label = _("Indicator sets")
    form_fields = ["campaign", "name"]
    list_display = ["name", "campaign", "status"]
    list_filter = ["campaign", "status"]
    scope = staticmethod(access.indicator_sets_for_user)
    scoped_choices = {"campaign": _run_campaigns}


class IndicatorViewSet(ScopedModelViewSet):
    model = Indicator
    name = "indicator"
    icon = "list-ol"
    menu_label = _("Indicators")
    form_fields = [
        "indicator_set",
        "parent",
        "sequence",
        "name",
        "weight",
        "max_score",
        "guidance",
        "main_task",
        "source",
        "source_name",
        "survey",
        "points_rule",
        "points_per_count",
        "points_table",
        "cap",
    ]
    list_display = ["name", "parent", "weight", "max_score", "source", "indicator_set"]
    list_filter = ["indicator_set", "source"]
    search_fields = ["name"]
    scope = staticmethod(access.indicators_for_user)
    scoped_choices = {
        "indicator_set": access.draft_sets_for_user,
        "parent": access.indicators_for_user,
        "main_task": _run_tasks,
        "survey": access.surveys_for_user,
    }


class InspectionRoundViewSet(ScopedModelViewSet):
    model = InspectionRound
    name = "inspection_round"
    icon = "clipboard-list"
    menu_label = _("Inspection rounds")
    form_fields = [
        "indicator_set",
        "name",
        "starts_on",
        "ends_on",
        "inspectors",
        "units",
    ]
    list_display = ["name", "indicator_set", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    scope = staticmethod(access.rounds_for_user)
    scoped_choices = {
        "indicator_set": _in_force_sets,
        "inspectors": _run_people,
        "units": _run_units,
    }


class SurveyViewSet(ScopedModelViewSet):
    model = Survey
    name = "survey"
    icon = "form"
    menu_label = _("Surveys")
    form_fields = [
        "campaign",
        "name",
        "introduction",
        "audience",
        "mode",
        "units",
        "closes_at",
    ]
    list_display = ["name", "campaign", "audience", "mode", "status"]
    list_filter = ["status", "audience"]
    scope = staticmethod(access.surveys_for_user)
    scoped_choices = {"campaign": _run_campaigns, "units": _run_units}


class QuestionViewSet(ScopedModelViewSet):
    model = Question
    name = "survey_question"
    icon = "help"
    menu_label = _("Survey questions")
    form_fields = ["survey", "sequence", "text", "kind", "choices", "required"]
    list_display = ["text", "kind", "survey"]
    list_filter = ["survey"]
    scope = staticmethod(access.questions_for_user)
    scoped_choices = {"survey": access.draft_surveys_for_user}


class EvaluationSettingsGroup(ViewSetGroup):
    menu_label = _("Evaluation settings")
    menu_icon = "cog"
    menu_order = 250
    items = (
        IndicatorSetViewSet,
        IndicatorViewSet,
        InspectionRoundViewSet,
        SurveyViewSet,
        QuestionViewSet,
    )


@hooks.register("register_admin_viewset")
def register_evaluation_viewsets() -> ViewSetGroup:
    return EvaluationSettingsGroup()


@hooks.register("register_admin_urls")
def register_evaluation_urls() -> list[Any]:
    return admin_urls()


class OverviewMenuItem(MenuItem):
    # from the roles' permissions, loaded once per request: a menu item must not
    # add queries to every admin page
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("evaluation.view_indicatorset")


class MyScoresMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("evaluation.answer_inspectionscore")


@hooks.register("register_admin_menu_item")
def register_evaluation_menu_item() -> MenuItem:
    return OverviewMenuItem(
        _("Evaluation"),
        reverse_lazy("evaluation_admin:index"),
        name="evaluation",
        icon_name="tasks",
        order=245,
    )


@hooks.register("register_admin_menu_item")
def register_my_scores_menu_item() -> MenuItem:
    return MyScoresMenuItem(
        _("Our inspection scores"),
        reverse_lazy("evaluation_admin:my_scores"),
        name="evaluation-my-scores",
        icon_name="tasks",
        order=246,
    )
