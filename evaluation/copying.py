"""A copied campaign's evaluation frame (``campaigns.copying``): its surveys with
their questions and its indicator sets, as drafts to review and put in force again.
Rounds, scores, tokens and answers stay with the campaign they belong to."""

from typing import Any

from campaigns.copying import Copy, clone, clone_tree
from evaluation.models import Indicator, IndicatorSet, SetStatus, Survey, SurveyStatus


def copy_frame(copy: Copy) -> None:
    surveys: dict[int, Survey] = {}
    for survey in Survey.objects.filter(campaign=copy.source).prefetch_related(
        "questions", "units"
    ):
        surveys[survey.pk] = new = clone(
            survey, campaign=copy.target, status=SurveyStatus.DRAFT, closes_at=None
        )
        new.save()
        new.units.set(survey.units.all())
        for question in survey.questions.all():
            clone(question, survey=new).save()
    for indicator_set in IndicatorSet.objects.filter(campaign=copy.source):
        new_set = clone(
            indicator_set,
            campaign=copy.target,
            status=SetStatus.DRAFT,
            in_force_at=None,
        )
        new_set.save()

        def changes(
            indicator: Indicator, new_set: IndicatorSet = new_set
        ) -> dict[str, Any]:
            return {
                "indicator_set": new_set,
                "main_task": copy.main_tasks.get(indicator.main_task_id or 0),
                "survey": surveys.get(indicator.survey_id or 0),
            }

        clone_tree(indicator_set.indicators.all(), changes)
