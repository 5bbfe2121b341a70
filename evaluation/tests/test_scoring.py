"""The composite score and the ranking, against figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demands import actions as demand_actions
from demands.tests.factories import submit_test_demand
from evaluation import actions, scoring
from evaluation.models import (
    InspectionRound,
    PointsRule,
    RoundStatus,
    Source,
    SurveyStatus,
)
from evaluation.tests.factories import (
    IndicatorFactory,
    IndicatorSetFactory,
    InspectionRoundFactory,
)
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
    # A: plan 8/10, deeds 5/10 → 40×0.8 + 20×0.5 = 42 of the 60 weights with a
    #    figure (no demands: replies left out, not 0) → 42 × 100 / 60 = 70, partial
    # B: plan 6/10, deeds 9/10 → 40×0.6 + 20×0.9 = 42 → 70, tied with A
    # C (not in the round): no figure at all → no total, no rank (was 0, ranked 3)
    unit_c = UnitFactory.create(organisation=world.organisation, name="w丙處")
    _score(evaluation, world, world.unit_a, evaluation.plan, "8")
    _score(evaluation, world, world.unit_a, evaluation.deeds, "5")
    _score(evaluation, world, world.unit_b, evaluation.plan, "6")
    _score(evaluation, world, world.unit_b, evaluation.deeds, "9")
    actions.publish_round(evaluation.inspection_round, actor=world.director)

    result = scoring.compute(evaluation.indicator_set)

    totals = {row.unit_name: (row.total, row.rank) for row in result.rows}
    assert totals == {
        world.unit_a.name: (Decimal("70.00"), 1),
        world.unit_b.name: (Decimal("70.00"), 1),
        unit_c.name: (None, None),
    }
    assert [row.unit_name for row in result.rows][-1] == unit_c.name
    row_a = result.row_for(world.unit_a.pk)
    assert row_a.partial and not result.row_for(unit_c.pk).partial
    assert (row_a.weight_scored, row_a.full_weight) == (60, 100)
    assert row_a.points[evaluation.plan.pk] == Decimal("8.00")
    assert row_a.parts[Source.MANUAL] == Decimal("42.00")


def test_an_unpublished_round_counts_for_nothing(world, evaluation):
    _score(evaluation, world, world.unit_a, evaluation.plan, "8")
    assert evaluation.inspection_round.status == RoundStatus.OPEN
    result = scoring.compute(evaluation.indicator_set)
    # no figure at all: no total (was 0.00, tied with every uninspected unit)
    assert result.row_for(world.unit_a.pk).total is None
    assert result.row_for(world.unit_a.pk).rank is None


def test_a_unit_without_demands_is_not_scored_0_for_them(
    world, evaluation, django_capture_on_commit_callbacks
):
    """B has no demands: its replies' indicator is left out and its inspection
    re-weighted, where it used to earn 0 and rank below A on the same scores."""
    _replied(world, django_capture_on_commit_callbacks, late=False)
    for unit in (world.unit_a, world.unit_b):
        _score(evaluation, world, unit, evaluation.plan, "5")
        _score(evaluation, world, unit, evaluation.deeds, "5")
    actions.publish_round(evaluation.inspection_round, actor=world.director)
    for detail in (True, False):
        result = scoring.compute(evaluation.indicator_set, detail=detail)
        a, b = result.row_for(world.unit_a.pk), result.row_for(world.unit_b.pk)
        # A: 40 × 0.5 + 20 × 0.5 + 40 × 1 = 70; B: 30 of 60 → 50, partial
        assert (a.total, a.partial) == (Decimal("70.00"), False)
        assert (b.total, b.partial) == (Decimal("50.00"), True)
        assert (a.rank, b.rank) == (1, 2)


def test_the_missing_data_rule_is_one_written_rule():
    row = scoring.UnitScore(
        1,
        "",
        parts={"manual": Decimal("30"), "automatic": Decimal("0")},
        weight_scored=Decimal("60"),
        full_weight=Decimal("100"),
    )
    assert scoring.reweighted(row) == Decimal("50.00")
    row.weight_scored = Decimal("0")
    assert scoring.reweighted(row) is None
    assert "re-weighted" in str(scoring.MISSING_DATA_RULE)


def test_documents_print_a_missing_total_as_a_dash_and_mark_a_partial_one():
    none = scoring.UnitScore(1, "")
    assert (none.shown_total, none.shown_rank) == ("—", "—")
    partial = scoring.UnitScore(
        2,
        "",
        total=Decimal("70.00"),
        rank=1,
        weight_scored=Decimal("60"),
        full_weight=Decimal("100"),
    )
    assert (partial.shown_total, partial.shown_rank) == ("70.00 ※", "1")


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


def test_an_unbalanced_set_is_not_scored(world):
    indicator_set = IndicatorSetFactory.create(campaign=world.campaign)
    IndicatorFactory.create(indicator_set=indicator_set, weight=Decimal("60"))
    with pytest.raises(scoring.Unbalanced, match="100"):
        scoring.compute(indicator_set)


def test_the_ranking_ranks_as_the_score_sheet_adds_up(world, evaluation):
    """The cockpit's ranking (manual parts summed by the database) gives the same
    parts and totals as the detailed sheet, means of two rounds rounded alike."""
    unit_c = UnitFactory.create(organisation=world.organisation, name="w丙處")
    second = InspectionRoundFactory.create(
        indicator_set=evaluation.indicator_set,
        starts_on=datetime.date(2007, 7, 1),
        ends_on=datetime.date(2007, 7, 31),
    )
    second.inspectors.add(world.clerk)
    second.units.add(world.unit_a, unit_c)
    evaluation.inspection_round.units.add(unit_c)
    for inspection_round, scores in (
        (evaluation.inspection_round, ["7.25", "3.25", "9", "6.5"]),
        (second, ["7", "3.5", "8.75", "6.25"]),
    ):
        plan_a, deeds_a, plan_c, deeds_c = scores
        for unit, indicator, score in (
            (world.unit_a, evaluation.plan, plan_a),
            (world.unit_a, evaluation.deeds, deeds_a),
            (unit_c, evaluation.plan, plan_c),
            (unit_c, evaluation.deeds, deeds_c),
        ):
            actions.score_unit(
                inspection_round,
                unit,
                indicator,
                score=Decimal(score),
                actor=world.clerk,
            )
        actions.publish_round(inspection_round, actor=world.director)

    sheet = scoring.compute(evaluation.indicator_set)
    ranking = scoring.compute(evaluation.indicator_set, detail=False)

    # A: plan (7.25 + 7) / 2 = 7.125 → 7.13, deeds 3.375 → 3.38:
    #    40 × 0.713 + 20 × 0.338 = 28.52 + 6.76 = 35.28
    # C: plan 8.875 → 8.88, deeds 6.375 → 6.38: 35.52 + 12.76 = 48.28
    row_a = sheet.row_for(world.unit_a.pk)
    assert row_a.points[evaluation.plan.pk] == Decimal("7.13")
    assert row_a.parts[Source.MANUAL] == Decimal("35.28")
    # no demands: the replies' 40 are left out, the 60 re-weighted to 100
    assert [(r.unit_id, r.total) for r in ranking.rows] == [
        (unit_c.pk, Decimal("80.47")),  # 48.28 × 100 / 60
        (world.unit_a.pk, Decimal("58.80")),  # 35.28 × 100 / 60
        (world.unit_b.pk, None),
    ]
    assert [(r.unit_id, r.parts, r.total, r.rank) for r in ranking.rows] == [
        (r.unit_id, r.parts, r.total, r.rank) for r in sheet.rows
    ]
    assert evaluation.plan.pk not in ranking.row_for(world.unit_a.pk).points
    # the period picks the rounds: July alone, 40 × 0.7 + 20 × 0.35
    july = scoring.compute(
        evaluation.indicator_set,
        start=datetime.date(2007, 7, 1),
        end=datetime.date(2007, 7, 31),
        detail=False,
    )
    assert july.row_for(world.unit_a.pk).parts[Source.MANUAL] == Decimal("35.00")


def test_the_rankings_cached_manual_parts_follow_every_change(world, evaluation):
    _score(evaluation, world, world.unit_a, evaluation.plan, "8")
    actions.publish_round(evaluation.inspection_round, actor=world.director)

    def manual_a() -> Decimal:
        ranking = scoring.compute(evaluation.indicator_set, detail=False)
        return ranking.row_for(world.unit_a.pk).parts[Source.MANUAL]

    assert manual_a() == Decimal("32.00")
    with CaptureQueriesContext(connection) as repeated:
        assert manual_a() == Decimal("32.00")
    # the second time, the parts come from the cache, not from the scores
    assert not any("SUM(leaf.weight" in q["sql"] for q in repeated.captured_queries)
    # the sheet's points are cached apart, under the same kind of version
    sheet = scoring.compute(evaluation.indicator_set)
    assert sheet.row_for(world.unit_a.pk).points[evaluation.plan.pk] == Decimal("8.00")

    second = InspectionRoundFactory.create(
        indicator_set=evaluation.indicator_set,
        starts_on=datetime.date(2007, 7, 1),
        ends_on=datetime.date(2007, 7, 31),
    )
    second.inspectors.add(world.clerk)
    second.units.add(world.unit_a)
    actions.score_unit(
        second, world.unit_a, evaluation.plan, score=Decimal("6"), actor=world.clerk
    )
    assert manual_a() == Decimal("32.00")  # not published yet
    actions.publish_round(second, actor=world.director)
    assert manual_a() == Decimal("28.00")  # 40 × (8 + 6) / 2 / 10
    sheet = scoring.compute(evaluation.indicator_set)
    assert sheet.row_for(world.unit_a.pk).points[evaluation.plan.pk] == Decimal("7.00")

    # the first round moved out of June's period: June has no score left
    def june() -> Decimal:
        return (
            scoring.compute(
                evaluation.indicator_set,
                start=datetime.date(2007, 6, 1),
                end=datetime.date(2007, 6, 30),
                detail=False,
            )
            .row_for(world.unit_a.pk)
            .parts[Source.MANUAL]
        )

    assert june() == Decimal("32.00")
    InspectionRound.objects.filter(pk=evaluation.inspection_round.pk).update(
        starts_on=datetime.date(2007, 5, 1), ends_on=datetime.date(2007, 5, 31)
    )
    assert june() == Decimal("0.00")
    assert manual_a() == Decimal("28.00")
    second.delete()
    assert manual_a() == Decimal("32.00")


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
