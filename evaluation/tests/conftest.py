import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

from evaluation.models import (
    Audience,
    Indicator,
    IndicatorSet,
    InspectionRound,
    PointsRule,
    Question,
    QuestionKind,
    SetStatus,
    Source,
    Survey,
    SurveyMode,
    SurveyStatus,
)
from evaluation.tests.factories import (
    IndicatorFactory,
    IndicatorSetFactory,
    InspectionRoundFactory,
    QuestionFactory,
    SurveyFactory,
)


@dataclass
class Evaluation:
    """``world``'s campaign with a set in force: 工作落實 (60) over two manual
    leaves (40 + 20, each out of 10) and 群眾滿意 (40) from the demands' on-time
    reply rate; a round inspected by the clerk over units A and B; a staff survey
    by token rating both units."""

    indicator_set: IndicatorSet
    work: Indicator
    plan: Indicator
    deeds: Indicator
    replies: Indicator
    inspection_round: InspectionRound
    survey: Survey
    rating: Question
    remark: Question


@pytest.fixture
def evaluation(world) -> Evaluation:  # type: ignore[no-untyped-def]
    indicator_set = IndicatorSetFactory.create(
        campaign=world.campaign, status=SetStatus.IN_FORCE
    )
    work = IndicatorFactory.create(
        indicator_set=indicator_set, name="工作落實", weight=Decimal("60")
    )
    plan = IndicatorFactory.create(
        indicator_set=indicator_set,
        parent=work,
        name="方案制定",
        weight=Decimal("40"),
        max_score=Decimal("10"),
    )
    deeds = IndicatorFactory.create(
        indicator_set=indicator_set,
        parent=work,
        name="辦實事",
        weight=Decimal("20"),
        max_score=Decimal("10"),
    )
    replies = IndicatorFactory.create(
        indicator_set=indicator_set,
        name="按時答覆",
        weight=Decimal("40"),
        source=Source.AUTOMATIC,
        source_name="demands.on_time_reply_rate",
        points_rule=PointsRule.RATE,
    )
    inspection_round = InspectionRoundFactory.create(
        indicator_set=indicator_set,
        starts_on=datetime.date(2007, 6, 1),
        ends_on=datetime.date(2007, 6, 30),
    )
    inspection_round.inspectors.add(world.clerk)
    inspection_round.units.add(world.unit_a, world.unit_b)
    survey = SurveyFactory.create(
        campaign=world.campaign,
        audience=Audience.STAFF,
        mode=SurveyMode.TOKENS,
        status=SurveyStatus.OPEN,
    )
    survey.units.add(world.unit_a, world.unit_b)
    rating = QuestionFactory.create(
        survey=survey, text="對該單位活動開展情況的評價", kind=QuestionKind.RATING
    )
    remark = QuestionFactory.create(
        survey=survey, text="意見建議", kind=QuestionKind.TEXT, required=False
    )
    return Evaluation(
        indicator_set,
        work,
        plan,
        deeds,
        replies,
        inspection_round,
        survey,
        rating,
        remark,
    )


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    # the ranking's manual parts are cached, and the cache outlives a test
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
