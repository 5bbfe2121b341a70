"""The evaluation's back-office screens under /admin/evaluation/: an overview, an
indicator set with its ranking, an inspection round and the scoring of a unit, a
unit's published scores and answers, a survey with its tokens and results. Each
step posts to a small view that calls the action."""

import datetime
from typing import Any

import segno
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core.admin import forbidden
from core.private_files import serve_private
from core.steps import take_step
from evaluation import access, actions, documents, scoring
from evaluation.forms import AnswerForm, MonthForm, PeriodForm, ScoreForm, TokensForm
from evaluation.models import (
    IndicatorSet,
    InspectionRound,
    InspectionScore,
    RoundStatus,
    SetStatus,
    Source,
    Survey,
    SurveyMode,
    SurveyStatus,
)
from evaluation.results import survey_results
from org.actors import Viewer, person_of
from org.models import Unit


class EvaluationView(WagtailAdminTemplateMixin, TemplateView):
    """A refusal answers 403 (Wagtail would redirect to the dashboard); an object
    out of scope 404; scoring an unbalanced set goes back to the set, which lists
    what does not add up."""

    header_icon = "tasks"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)
        except scoring.Unbalanced:
            messages.error(
                request,
                _(
                    "The weights of this indicator set do not add up: nothing is "
                    "scored."
                ),
            )
            return redirect("evaluation_admin:set", pk=kwargs["pk"])

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("evaluation_admin:index"), "label": _("Evaluation")},
        ]


# -- overview ------------------------------------------------------------------------


class IndexView(EvaluationView):
    template_name = "evaluation/admin/index.html"
    page_title = gettext_lazy("Evaluation")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        sets = access.indicator_sets_for_user(user).select_related("campaign")
        rounds = access.rounds_for_user(user).distinct().select_related("indicator_set")
        surveys = access.surveys_for_user(user)
        if not (sets.exists() or rounds.exists() or surveys.exists()):
            raise PermissionDenied
        return super().get_context_data(
            sets=sets.order_by("campaign", "name"),
            rounds=rounds.order_by("-starts_on", "pk"),
            surveys=surveys.order_by("name"),
            **kwargs,
        )


# -- indicator sets and the ranking --------------------------------------------------


def _get_set(user: Viewer, pk: int, *, write: bool = False) -> IndicatorSet:
    found = access.indicator_sets_for_user(user, write=write).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


class SetView(EvaluationView):
    template_name = "evaluation/admin/set.html"
    page_title = gettext_lazy("Indicator set")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        indicator_set = _get_set(self.request.user, self.kwargs["pk"])
        indicators = list(indicator_set.indicators.select_related("main_task"))
        depth: dict[int, int] = {}
        rows = []

        def walk(parent_id: int | None, level: int) -> None:
            for indicator in indicators:
                if indicator.parent_id == parent_id:
                    depth[indicator.pk] = level
                    rows.append((indicator, level * 1.5))
                    walk(indicator.pk, level + 1)

        walk(None, 0)
        draft = indicator_set.status == SetStatus.DRAFT
        return super().get_context_data(
            indicator_set=indicator_set,
            rows=rows,
            problems=actions.weight_errors(indicators) if draft else [],
            may_put_in_force=draft
            and access.is_evaluation_office(self.request.user, indicator_set.campaign),
            **kwargs,
        )


class PutInForceView(EvaluationView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator_set = _get_set(request.user, pk, write=True)
        take_step(
            request,
            lambda: actions.put_in_force(indicator_set, actor=person_of(request)),
            success=_("The indicator set is in force."),
        )
        return redirect("evaluation_admin:set", pk=pk)


class RankingView(EvaluationView):
    template_name = "evaluation/admin/ranking.html"
    page_title = gettext_lazy("Composite scores and ranking")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.indicator_set = _get_set(request.user, kwargs["pk"])
        self.form = PeriodForm(request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        self.result = scoring.compute(
            self.indicator_set, start=data.get("start"), end=data.get("end")
        )
        if kwargs.get("export"):
            name = f"ranking-{self.indicator_set.pk}-{timezone.localdate():%Y%m%d}.xlsx"
            return documents.xlsx_response(
                documents.ranking_workbook(self.result), name
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        result = self.result
        return super().get_context_data(
            indicator_set=self.indicator_set,
            form=self.form,
            result=result,
            table=[
                (row, [row.points[leaf.pk] for leaf in result.leaves])
                for row in result.rows
            ],
            parts=[Source.MANUAL, Source.AUTOMATIC, Source.SURVEY],
            query=self.request.GET.urlencode(),
            missing_data_rule=scoring.MISSING_DATA_RULE,
            **kwargs,
        )


class UnitSheetView(EvaluationView):
    """One unit's score sheet: each indicator's points, guidance and, for the
    inspection, the published scores with their comments and answers."""

    template_name = "evaluation/admin/unit_sheet.html"
    page_title = gettext_lazy("Score sheet")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        indicator_set, unit = access.get_sheet_for_user(
            self.request.user, self.kwargs["pk"], self.kwargs["unit"]
        )
        # the period the ranking (or the cockpit) linking here was computed over
        form = PeriodForm(self.request.GET or None)
        period = form.cleaned_data if form.is_valid() else {}
        result = scoring.compute(
            indicator_set, start=period.get("start"), end=period.get("end")
        )
        row = result.row_for(unit.pk)
        scores = (
            InspectionScore.objects.filter(
                inspection_round__indicator_set=indicator_set,
                inspection_round__status=RoundStatus.PUBLISHED,
                unit=unit,
            )
            .select_related("inspection_round", "indicator")
            .order_by("indicator__sequence", "inspection_round__starts_on")
        )
        return super().get_context_data(
            indicator_set=indicator_set,
            sheet_unit=unit,
            row=row,
            lines=[
                (leaf, row.points[leaf.pk] if row else None) for leaf in result.leaves
            ],
            scores=scores,
            parts=[(source.label, row.parts[source]) for source in Source]
            if row
            else [],
            form=form,
            period=period,
            missing_data_rule=scoring.MISSING_DATA_RULE,
            **{k: v for k, v in kwargs.items() if k != "unit"},
        )


class CircularView(EvaluationView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator_set = _get_set(request.user, pk)
        form = MonthForm(request.GET)
        if not form.is_valid():
            messages.error(request, form.errors["month"][0])
            return redirect("evaluation_admin:set", pk=pk)
        month: datetime.date = form.cleaned_data["month"]
        document = documents.monthly_circular(indicator_set, month)
        return documents.docx_response(
            document, f"circular-{indicator_set.pk}-{month:%Y%m}.docx"
        )


# -- inspection rounds ---------------------------------------------------------------


class RoundView(EvaluationView):
    template_name = "evaluation/admin/round.html"
    page_title = gettext_lazy("Inspection round")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        inspection_round = access.get_round_for_user(user, self.kwargs["pk"])
        units = inspection_round.units.order_by("path")
        leaves = scoring.leaves_of(inspection_round.indicator_set)
        manual = [leaf for leaf in leaves if leaf.source == Source.MANUAL]
        counts = dict(
            inspection_round.scores.order_by()
            .values_list("unit_id")
            .annotate(n=Count("pk"))
        )
        is_open = inspection_round.status == RoundStatus.OPEN
        return super().get_context_data(
            inspection_round=inspection_round,
            units=[(unit, counts.get(unit.pk, 0)) for unit in units],
            manual_count=len(manual),
            may_score=is_open and access.is_inspector(user, inspection_round),
            may_publish=is_open
            and access.is_evaluation_office(
                user, inspection_round.indicator_set.campaign
            ),
            **kwargs,
        )


class ScoreUnitView(EvaluationView):
    """An inspector's page for one unit: a form per manual indicator."""

    template_name = "evaluation/admin/score_unit.html"
    page_title = gettext_lazy("Score a unit")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.bound: ScoreForm | None = None

    def load(self) -> tuple[InspectionRound, Unit, list[Any]]:
        inspection_round = access.get_round_for_inspector(
            self.request.user, self.kwargs["pk"]
        )
        unit = inspection_round.units.filter(pk=self.kwargs["unit"]).first()
        if unit is None:
            raise Http404
        leaves = [
            leaf
            for leaf in scoring.leaves_of(inspection_round.indicator_set)
            if leaf.source == Source.MANUAL
        ]
        return inspection_round, unit, leaves

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        inspection_round, unit, leaves = self.load()
        existing = {
            score.indicator_id: score
            for score in inspection_round.scores.filter(unit=unit)
        }
        forms = []
        for leaf in leaves:
            if self.bound is not None and self.bound.indicator == leaf:
                form = self.bound
            else:
                score = existing.get(leaf.pk)
                initial = (
                    {"score": score.score, "comment": score.comment} if score else {}
                )
                form = ScoreForm(indicator=leaf, initial=initial)
            forms.append((leaf, form, existing.get(leaf.pk)))
        return super().get_context_data(
            inspection_round=inspection_round,
            scored_unit=unit,
            forms=forms,
            **{k: v for k, v in kwargs.items() if k != "unit"},
        )

    def post(self, request: HttpRequest, pk: int, unit: int) -> HttpResponse:
        inspection_round, scored, leaves = self.load()
        leaf = next(
            (x for x in leaves if str(x.pk) == request.POST.get("indicator")), None
        )
        if leaf is None:
            raise Http404
        form = ScoreForm(request.POST, request.FILES, indicator=leaf)
        if form.is_valid():
            data = form.cleaned_data
            outcome = take_step(
                request,
                lambda: actions.score_unit(
                    inspection_round,
                    scored,
                    leaf,
                    score=data["score"],
                    comment=data["comment"],
                    evidence=data["evidence"],
                    actor=person_of(request),
                ),
                success=_("The score was saved."),
            )
            if outcome.done:
                return redirect("evaluation_admin:score_unit", pk=pk, unit=unit)
        self.bound = form
        return self.render_to_response(self.get_context_data(), status=400)


class PublishRoundView(EvaluationView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection_round = access.get_round_for_user(request.user, pk, write=True)
        take_step(
            request,
            lambda: actions.publish_round(inspection_round, actor=person_of(request)),
            success=_("The round was published."),
        )
        return redirect("evaluation_admin:round", pk=pk)


class MyScoresView(EvaluationView):
    """A unit's head and liaison: their units' published scores, to answer once."""

    template_name = "evaluation/admin/my_scores.html"
    page_title = gettext_lazy("Our inspection scores")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        if not (user.is_superuser or access.answerable_units(user)):
            raise PermissionDenied
        scores = (
            access.unit_scores_for_user(user)
            .select_related("inspection_round", "indicator", "unit")
            .order_by("-inspection_round__published_at", "unit__path", "indicator")
        )
        return super().get_context_data(
            rows=[
                (score, None if score.answered_at else AnswerForm()) for score in scores
            ],
            **kwargs,
        )


class AnswerScoreView(EvaluationView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        score = access.unit_scores_for_user(request.user).filter(pk=pk).first()
        if score is None:
            raise Http404
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The answer is empty."))
            return redirect("evaluation_admin:my_scores")
        take_step(
            request,
            lambda: actions.answer_score(
                score, answer=form.cleaned_data["answer"], actor=person_of(request)
            ),
            success=_("Your answer was sent."),
        )
        return redirect("evaluation_admin:my_scores")


def evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The evidence of a score, only to those who may read the score."""
    score = access.get_score_for_user(request.user, pk)
    if not score.evidence:
        raise Http404
    return serve_private(request, score.evidence, filename=score.evidence_name)


# -- surveys -------------------------------------------------------------------------


class SurveyView(EvaluationView):
    template_name = "evaluation/admin/survey.html"
    page_title = gettext_lazy("Survey")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        survey = access.get_survey_for_user(user, self.kwargs["pk"])
        runs = access.is_evaluation_office(user, survey.campaign)
        tokens = survey.tokens.aggregate(
            issued=Count("pk"), used=Count("pk", filter=Q(used=True))
        )
        return super().get_context_data(
            survey=survey,
            results=survey_results(survey),
            tokens=tokens,
            may_open=runs and survey.status == SurveyStatus.DRAFT,
            may_close=runs and survey.status == SurveyStatus.OPEN,
            tokens_form=TokensForm()
            if runs
            and survey.mode == SurveyMode.TOKENS
            and survey.status != SurveyStatus.CLOSED
            else None,
            public_url=self.request.build_absolute_uri(
                reverse("evaluation:survey", args=[survey.pk])
            ),
            **kwargs,
        )


class SurveyStepView(EvaluationView):
    http_method_names = ["post"]
    step = "open"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = access.get_survey_for_user(request.user, pk, write=True)
        action = actions.open_survey if self.step == "open" else actions.close_survey
        take_step(
            request,
            lambda: action(survey, actor=person_of(request)),
            success=_("Done."),
        )
        return redirect("evaluation_admin:survey", pk=pk)


class IssueTokensView(EvaluationView):
    """Issue tokens and show them, once, as a printable sheet with QR codes."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey: Survey = access.get_survey_for_user(request.user, pk, write=True)
        form = TokensForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Issue between 1 and 2000 tokens at a time."))
            return redirect("evaluation_admin:survey", pk=pk)
        outcome = take_step(
            request,
            lambda: actions.issue_tokens(
                survey, form.cleaned_data["count"], actor=person_of(request)
            ),
        )
        if not outcome.done:
            return redirect("evaluation_admin:survey", pk=pk)
        tokens = outcome.value
        base = request.build_absolute_uri(reverse("evaluation:survey", args=[pk]))
        sheet = [
            (token, segno.make(f"{base}?t={token}", error="m").svg_inline(scale=3))
            for token in tokens
        ]
        response = render(
            request,
            "evaluation/admin/tokens.html",
            {"survey": survey, "sheet": sheet, "url": base},
        )
        response["Cache-Control"] = "no-store"
        return response


def admin_urls() -> list[Any]:
    urls = [
        path("", IndexView.as_view(), name="index"),
        path("sets/<int:pk>/", SetView.as_view(), name="set"),
        path("sets/<int:pk>/in-force/", PutInForceView.as_view(), name="in_force"),
        path("sets/<int:pk>/ranking/", RankingView.as_view(), name="ranking"),
        path(
            "sets/<int:pk>/ranking.xlsx",
            RankingView.as_view(),
            {"export": True},
            name="ranking_export",
        ),
        path("sets/<int:pk>/units/<int:unit>/", UnitSheetView.as_view(), name="sheet"),
        path("sets/<int:pk>/circular.docx", CircularView.as_view(), name="circular"),
        path("rounds/<int:pk>/", RoundView.as_view(), name="round"),
        path(
            "rounds/<int:pk>/units/<int:unit>/",
            ScoreUnitView.as_view(),
            name="score_unit",
        ),
        path("rounds/<int:pk>/publish/", PublishRoundView.as_view(), name="publish"),
        path("my-scores/", MyScoresView.as_view(), name="my_scores"),
        path("scores/<int:pk>/answer/", AnswerScoreView.as_view(), name="answer"),
        path("scores/<int:pk>/evidence/", evidence, name="evidence"),
        path("surveys/<int:pk>/", SurveyView.as_view(), name="survey"),
        path(
            "surveys/<int:pk>/open/",
            SurveyStepView.as_view(step="open"),
            name="survey_open",
        ),
        path(
            "surveys/<int:pk>/close/",
            SurveyStepView.as_view(step="close"),
            name="survey_close",
        ),
        path("surveys/<int:pk>/tokens/", IssueTokensView.as_view(), name="tokens"),
    ]
    return [path("evaluation/", include((urls, "evaluation_admin")))]
