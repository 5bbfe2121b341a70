"""The composite score and the ranking, against figures worked out by hand."""

import datetime
import sys
from decimal import Decimal

import pytest
from django.utils import timezone

from demands import actions as demand_actions
from demands.tests.factories import submit_test_demand
from evaluation import actions, scoring
from evaluation.models import (
    IndicatorSet,
    PointsRule,
    RoundStatus,
    Source,
    SurveyStatus,
)
from evaluation.tests.factories import IndicatorFactory, IndicatorSetFactory
from org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_points_rules():
    rate = IndicatorFactory.build(max_score=Decimal("10"), points_rule=PointsRule.RATE)
    assert scoring.points_for(rate, 0.856) == Decimal("8.56")
    inverse = IndicatorFactory.build(
        max_score=Decimal("10"), points_rule=PointsRule.INVERSE_RATE
    )
    assert scoring.points_for(inverse, 0.25) == Decimal("7.50")
    per_count = IndicatorFactory.build(
        max_score=Decimal("20"),
        points_rule=PointsRule.PER_COUNT,
        points_per_count=Decimal("1"),
        points_table={"portal": 3},
        cap=Decimal("12"),
    )
    assert scoring.points_for(per_count, 4) == Decimal("4.00")
    # 5 published (1 each) + 2 picked up by the portal (3 each)
    assert scoring.points_for(per_count, {"published": 5, "portal": 2}) == Decimal(
        "11.00"
    )
    assert scoring.points_for(per_count, 40) == Decimal("12.00")  # the cap
    assert scoring.points_for(per_count, None) is None


def _score(evaluation, world, unit, indicator, score):
    actions.score_unit(
        evaluation.inspection_round,
        unit,
        indicator,
        score=Decimal(score),
        actor=world.clerk,
    )


def test_the_composite_matches_a_hand_computed_example(world, evaluation):
    # A: plan 8/10, deeds 5/10 → 40×0.8 + 20×0.5 = 42 (no demands: 0 on replies)
    # B: plan 6/10, deeds 9/10 → 40×0.6 + 20×0.9 = 42 → tied with A
    # C (not in the round): nothing → 0
    unit_c = UnitFactory.create(organisation=world.organisation, name="w丙處")
    _score(evaluation, world, world.unit_a, evaluation.plan, "8")
    _score(evaluation, world, world.unit_a, evaluation.deeds, "5")
    _score(evaluation, world, world.unit_b, evaluation.plan, "6")
    _score(evaluation, world, world.unit_b, evaluation.deeds, "9")
    actions.publish_round(evaluation.inspection_round, actor=world.director)

    result = scoring.compute(evaluation.indicator_set)

    totals = {row.unit_name: (row.total, row.rank) for row in result.rows}
    assert totals == {
        world.unit_a.name: (Decimal("42.00"), 1),
        world.unit_b.name: (Decimal("42.00"), 1),
        unit_c.name: (Decimal("0.00"), 3),
    }
    row_a = result.row_for(world.unit_a.pk)
    assert row_a.points[evaluation.plan.pk] == Decimal("8.00")
    assert row_a.parts[Source.MANUAL] == Decimal("42.00")


def test_an_unpublished_round_counts_for_nothing(world, evaluation):
    _score(evaluation, world, world.unit_a, evaluation.plan, "8")
    assert evaluation.inspection_round.status == RoundStatus.OPEN
    result = scoring.compute(evaluation.indicator_set)
    assert result.row_for(world.unit_a.pk).total == Decimal("0")


def test_competition_ranking_skips_after_a_tie():
    rows = [
        scoring.UnitScore(n, str(n), total=Decimal(t))
        for n, t in enumerate(["90", "85", "85", "80"])
    ]
    scoring.rank_rows(rows)
    assert [row.rank for row in rows] == [1, 2, 2, 4]


def _replied(world, capture, *, late):
    with capture(execute=True):
        demand = submit_test_demand(world)
        demand_actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
        demand_actions.accept_demand(demand, actor=world.liaison_a)
    if late:
        demand.reply_due = timezone.now() - datetime.timedelta(hours=1)
        demand.save(update_fields=["reply_due"])
    with capture(execute=True):
        demand.refresh_from_db()
        demand_actions.reply_demand(
            demand, reply="已疏通", solved=True, actor=world.liaison_a
        )


def test_a_late_reply_lowers_the_units_automatic_score(
    world, evaluation, django_capture_on_commit_callbacks
):
    _replied(world, django_capture_on_commit_callbacks, late=False)
    before = scoring.compute(evaluation.indicator_set).row_for(world.unit_a.pk)
    assert before.points[evaluation.replies.pk] == Decimal("100.00")
    assert before.parts[Source.AUTOMATIC] == Decimal("40.00")

    _replied(world, django_capture_on_commit_callbacks, late=True)

    after = scoring.compute(evaluation.indicator_set).row_for(world.unit_a.pk)
    assert after.points[evaluation.replies.pk] == Decimal("50.00")
    assert after.parts[Source.AUTOMATIC] == Decimal("20.00")


def test_an_absent_source_is_reported_and_scores_nothing(world, monkeypatch):
    # as on an installation without the ledgers app
    monkeypatch.setitem(sys.modules, "ledgers.metrics", None)
    indicator_set = IndicatorSetFactory.create(campaign=world.campaign)
    leaf = IndicatorFactory.create(
        indicator_set=indicator_set,
        source=Source.AUTOMATIC,
        source_name="ledgers.deeds_done",
        points_rule=PointsRule.RATE,
    )
    result = scoring.compute(IndicatorSet.objects.get(pk=indicator_set.pk))
    assert "ledgers.metrics" in result.unavailable[leaf.pk]
    assert all(row.total == 0 for row in result.rows)


def test_survey_votes_score_the_unit(world, evaluation):
    indicator_set = IndicatorSetFactory.create(campaign=world.campaign)
    leaf = IndicatorFactory.create(
        indicator_set=indicator_set,
        source=Source.SURVEY,
        survey=evaluation.survey,
        max_score=Decimal("10"),
    )
    tokens = actions.issue_tokens(evaluation.survey, 3, actor=world.clerk)
    # A: satisfied, basically, cannot say (no vote) → (1 + 0.5) / 2 = 0.75
    for token, rating in zip(
        tokens, ["satisfied", "basically", "unknown"], strict=True
    ):
        actions.submit_ballot(
            evaluation.survey,
            [
                actions.Given(evaluation.rating, world.unit_a, rating=rating),
                actions.Given(evaluation.rating, world.unit_b, rating="unsatisfied"),
            ],
            token=token,
        )
    assert evaluation.survey.status == SurveyStatus.OPEN
    result = scoring.compute(indicator_set)
    assert result.row_for(world.unit_a.pk).points[leaf.pk] == Decimal("7.50")
    assert result.row_for(world.unit_b.pk).points[leaf.pk] == Decimal("0.00")
    assert result.row_for(world.unit_a.pk).total == Decimal("75.00")
