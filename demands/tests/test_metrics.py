"""The five rates, counted by the database over a small hand-made set of demands."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from campaigns.seats import campaigns_overseen_by
from demands import actions, metrics, rollup
from demands.metrics import Period, Row
from demands.models import Demand, DemandKind, Rating, Urgency
from demands.tests.factories import CategoryFactory
from org.models import Unit

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.now() - datetime.timedelta(days=400)


def submit(world, category=None, campaign=None):
    demand, _ = actions.submit_demand(
        campaign or world.campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="雨季將至，村口水渠堵塞，請幫助疏通。",
        urgency=Urgency.NORMAL,
        category=category,
    )
    return demand


def handled(world, unit, category, *, accept=True, reply=None, solved=True):
    """A demand dispatched to ``unit``, then accepted and replied as asked."""
    handler = world.liaison_a if unit == world.unit_a else world.liaison_b
    demand = submit(world, category)
    demand = actions.dispatch_demand(demand, unit, actor=world.director)
    if accept:
        demand = actions.accept_demand(demand, actor=handler)
    if reply:
        demand = actions.reply_demand(demand, reply=reply, solved=solved, actor=handler)
    return demand


def late(demand, field, due):
    Demand.objects.filter(pk=demand.pk).update(
        **{field: F(due) + datetime.timedelta(hours=1)}
    )
    demand.refresh_from_db()
    return demand


@pytest.fixture
def demands(world):
    """Unit A: five demands; unit B: one; one not yet dispatched; one from last
    year. Tasks: d1–d3 under the first category's, d4–d6 under the second's."""
    first = CategoryFactory.create(campaign=world.campaign, default_unit=world.unit_a)
    second = CategoryFactory.create(campaign=world.campaign, default_unit=world.unit_b)
    # d1: everything in time, solved, satisfied
    d1 = handled(world, world.unit_a, first, reply="已疏通")
    actions.rate_demand(d1, rating=Rating.SATISFIED)
    # d2: accepted late; unsatisfied, reopened, replied again in time, basically
    # satisfied the second time
    d2 = handled(world, world.unit_a, first, accept=False)
    d2 = actions.accept_demand(d2, actor=world.liaison_a)
    d2 = late(d2, "accepted_at", "accept_due")
    d2 = actions.reply_demand(d2, reply="第一次", solved=False, actor=world.liaison_a)
    d2 = actions.rate_demand(d2, rating=Rating.UNSATISFIED)
    d2 = actions.reply_demand(d2, reply="第二次", solved=True, actor=world.liaison_a)
    actions.rate_demand(d2, rating=Rating.BASICALLY_SATISFIED)
    # d3: replied late, not solved, the submitter cannot say
    d3 = handled(world, world.unit_a, first, reply="已說明", solved=False)
    d3 = late(d3, "replied_at", "reply_due")
    actions.rate_demand(d3, rating=Rating.UNKNOWN)
    # d4: dispatched, not accepted yet
    handled(world, world.unit_a, second, accept=False)
    # d5: unsatisfied, reopened, waiting for its second reply
    d5 = handled(world, world.unit_a, second, reply="第一次", solved=True)
    actions.rate_demand(d5, rating=Rating.UNSATISFIED)
    # d6: unit B, everything in time, satisfied
    d6 = handled(world, world.unit_b, second, reply="已辦結")
    actions.rate_demand(d6, rating=Rating.SATISFIED)
    # d7: not dispatched
    submit(world)
    # d8: last year's, in unit B, satisfied
    d8 = handled(world, world.unit_b, second, reply="去年的")
    actions.rate_demand(d8, rating=Rating.SATISFIED)
    Demand.objects.filter(pk=d8.pk).update(submitted_at=LAST_YEAR)
    # The fixture writes behind the actions' back (late(), d8's date), which the
    # actions' rollup cannot see: recount it all.
    rollup.rebuild(world.campaign.pk)
    return first, second


THIS_YEAR = Period(start=(timezone.now() - datetime.timedelta(days=30)).date())


def by_key(rows):
    return {row.key: row for row in rows}


def test_a_units_counts_and_rates_are_exact(world, demands):
    rows = by_key(metrics.grouped(metrics.demands_in(world.campaign), "unit"))
    a = rows[world.unit_a.pk]
    assert a.label == world.unit_a.name
    assert (a.received, a.dispatched, a.accepted_in_time) == (5, 5, 3)
    assert (a.replied, a.reply_timed, a.replied_in_time) == (4, 3, 2)
    assert (a.solved, a.rated, a.satisfied, a.reopened) == (2, 2, 2, 2)
    # d4 is still inside its acceptance deadline: out of the denominator
    assert (a.awaiting_acceptance, a.acceptance_overdue) == (1, 0)
    assert a.response_rate == 3 / 4
    assert a.on_time_reply_rate == 2 / 3
    assert a.resolution_rate == 2 / 4
    assert a.satisfaction_rate == 1.0
    assert a.reopen_rate == 2 / 4


def test_the_period_leaves_out_demands_submitted_before_it(world, demands):
    everything = by_key(metrics.grouped(metrics.demands_in(world.campaign), "unit"))
    recent = by_key(
        metrics.grouped(metrics.demands_in(world.campaign, period=THIS_YEAR), "unit")
    )
    assert everything[world.unit_b.pk].received == 2
    b = recent[world.unit_b.pk]
    assert (b.received, b.replied, b.rated, b.reopened) == (1, 1, 1, 0)
    assert b.reopen_rate == 0.0


def test_a_period_that_ends_before_any_demand_has_no_rows(world, demands):
    period = Period(end=(LAST_YEAR - datetime.timedelta(days=1)).date())
    assert (
        metrics.grouped(metrics.demands_in(world.campaign, period=period), "unit") == []
    )


def test_the_totals_count_undispatched_demands_as_received_only(world, demands):
    total = metrics.totals(metrics.demands_in(world.campaign, period=THIS_YEAR))
    assert (total.received, total.dispatched, total.accepted_in_time) == (7, 6, 4)
    assert (total.replied, total.reply_timed, total.replied_in_time) == (5, 4, 3)
    assert (total.solved, total.rated, total.satisfied, total.reopened) == (3, 3, 3, 2)


def test_rows_by_main_task_follow_the_categories(world, demands):
    first, second = demands
    rows = by_key(
        metrics.grouped(
            metrics.demands_in(world.campaign, period=THIS_YEAR), "main_task"
        )
    )
    # d7 has no category: the uncategorised row
    assert set(rows) == {first.main_task_id, second.main_task_id, None}
    assert rows[None].received == 1
    assert rows[first.main_task_id].label == first.main_task.name
    one, two = rows[first.main_task_id], rows[second.main_task_id]
    assert (one.received, one.accepted_in_time, one.solved, one.rated) == (3, 2, 2, 2)
    assert (two.received, two.accepted_in_time, two.reopened) == (3, 2, 1)
    # d4 is inside its acceptance deadline: 2 of 2 due (it was 2 of 3)
    assert two.response_rate == 1.0


def test_a_main_task_filter_narrows_the_unit_rows(world, demands):
    first, _ = demands
    rows = metrics.grouped(
        metrics.demands_in(world.campaign, main_task=first.main_task), "unit"
    )
    assert [(row.key, row.received) for row in rows] == [(world.unit_a.pk, 3)]


def test_rates_without_a_denominator_are_none(world, demands):
    only_dispatched = metrics.totals(
        metrics.demands_in(world.campaign).filter(
            unit=world.unit_a, accepted_at__isnull=True
        )
    )
    assert only_dispatched.received == 1
    # dispatched moments ago: not due yet, so no figure (it was 0.0 %)
    assert only_dispatched.response_rate is None
    assert only_dispatched.on_time_reply_rate is None
    assert only_dispatched.resolution_rate is None
    assert only_dispatched.satisfaction_rate is None
    assert only_dispatched.reopen_rate is None


def test_another_campaigns_demands_are_not_counted(world, other_world, demands):
    handled_elsewhere = submit(other_world, campaign=other_world.campaign)
    actions.dispatch_demand(
        handled_elsewhere, other_world.unit_a, actor=other_world.director
    )
    total = metrics.totals(metrics.demands_in(world.campaign, period=THIS_YEAR))
    assert total.received == 7


def test_the_report_takes_two_aggregate_queries_and_two_for_names(
    world, demands, django_assert_num_queries
):
    # days of a partial month and the whole months after it: still one query, and
    # one over the open demands for the deadlines passed
    with django_assert_num_queries(4):
        report = metrics.report(world.campaign, period=THIS_YEAR)
    assert report.total == metrics.totals(
        metrics.demands_in(world.campaign, period=THIS_YEAR)
    )
    in_tree_order = Unit.objects.filter(organisation=world.organisation).order_by(
        "path"
    )
    # d7, not dispatched, in a row of its own
    assert [row.key for row in report.by_unit] == [
        *(u.pk for u in in_tree_order),
        None,
    ]
    assert report.total.received == 7


def test_units_with_too_few_ratings_are_not_ranked_by_default(world, demands):
    report = metrics.report(world.campaign, period=THIS_YEAR)
    assert report.min_rated == 5
    assert report.unit_ranks == {}


def test_the_minimum_comes_from_the_settings(world, demands, settings):
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "RANKING_MIN_RATED": 2}
    report = metrics.report(world.campaign, period=THIS_YEAR)
    assert report.unit_ranks == {world.unit_a.pk: 1}


def row(key, satisfied, rated):
    return Row(key=key, label=str(key), rated=rated, satisfied=satisfied)


def test_one_fast_satisfied_reply_does_not_top_the_ranking():
    rows = [row(1, 1, 1), row(2, 8, 10), row(3, 6, 10)]
    assert metrics.rank(rows, min_rated=5) == {2: 1, 3: 2}


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = [row(1, 9, 10), row(2, 18, 20), row(3, 6, 10), row(4, 12, 20)]
    assert metrics.rank(rows, min_rated=5) == {1: 1, 2: 1, 3: 3, 4: 3}


def test_rows_without_ratings_are_never_ranked():
    rows = [row(1, 0, 0), row(2, 0, 5)]
    assert metrics.rank(rows, min_rated=0) == {2: 1}


def test_any_rate_can_rank():
    rows = [
        Row(key=1, label="", rated=5, dispatched=4, accepted_in_time=4),
        Row(key=2, label="", rated=5, dispatched=4, accepted_in_time=2),
    ]
    assert metrics.rank(rows, rate="response_rate", min_rated=5) == {1: 1, 2: 2}


def test_a_period_covers_whole_days_in_the_sites_time_zone(settings):
    start, end = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)).bounds()
    assert start is not None and end is not None
    assert timezone.localtime(start).isoformat() == "2025-03-01T00:00:00+08:00"
    assert timezone.localtime(end).isoformat() == "2025-04-01T00:00:00+08:00"


def test_only_the_leading_group_and_the_office_oversee_a_campaign(world):
    def sees(person):
        return list(campaigns_overseen_by(person)) == [world.campaign]

    assert sees(world.leader) and sees(world.director) and sees(world.clerk)
    assert sees(world.superuser)
    for person in (world.editor, world.head_a, world.liaison_a, world.outsider):
        assert not campaigns_overseen_by(person).exists()
