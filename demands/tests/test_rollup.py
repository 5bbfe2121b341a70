"""The figures' rollup: kept by the actions in their own transactions, equal to the
live count of the raw demands, and the same whether kept change by change or
rebuilt; its month rows are the sums of its day rows, and a period's whole months
and partial months' days add up to the live count."""

import contextlib
import datetime
import zoneinfo
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import Conflict
from demands import actions, metrics, rollup
from demands.models import (
    Demand,
    DemandDayStat,
    DemandKind,
    DemandMonthStat,
    Rating,
    Urgency,
)
from demands.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

STEPS = (
    "dispatch_a",
    "dispatch_b",
    "accept",
    "return",
    "extend",
    "reply_solved",
    "reply_unsolved",
    "rate_satisfied",
    "rate_unsatisfied",
    "rate_unknown",
)


def stat_rows(campaign, level=rollup.DAY):
    """The rollup's rows, comparable: (unit, main task, day or month) → counts."""
    return {
        (stat["unit_id"], stat["main_task_id"], stat[level.column]): stat
        for stat in level.model.objects.filter(campaign=campaign)
        .values("unit_id", "main_task_id", level.column, *metrics.COUNTS)
        .order_by()
    }


def days_summed_by_month(campaign):
    """The day rows added up per month, as the month rows should hold them."""
    months: dict[tuple, dict] = {}
    for (unit, task, day), stat in stat_rows(campaign).items():
        key = (unit, task, day.replace(day=1))
        row = months.setdefault(
            key, {"unit_id": unit, "main_task_id": task, "month": key[2]}
        )
        for name in metrics.COUNTS:
            row[name] = row.get(name, 0) + stat[name]
    return months


def assert_months_are_the_days_sums(campaign):
    assert stat_rows(campaign, rollup.MONTH) == days_summed_by_month(campaign)


def assert_rollup_is_live(campaign):
    live = metrics.demands_in(campaign)
    report = metrics.report(campaign)
    assert report.total == metrics.totals(live)
    assert report.by_unit == metrics.grouped(live, "unit")
    assert report.by_main_task == metrics.grouped(live, "main_task")


class Walk:
    """Transitions on a few demands."""

    def __init__(self, world):
        self.world = world
        self.categories = [
            CategoryFactory.create(campaign=world.campaign, default_unit=world.unit_a)
            for _ in range(2)
        ]

    def run(self, action, *args, **kwargs):
        return action(*args, **kwargs)

    def submit(self, n):
        demand, _code = self.run(
            actions.submit_demand,
            self.world.campaign,
            kind=DemandKind.HELP,
            title="村口水渠堵塞",
            content="雨季將至，村口水渠堵塞，請幫助疏通。",
            urgency=Urgency.NORMAL,
            # one demand without a category, so without a main task
            category=self.categories[n] if n < 2 else None,
        )
        return demand

    def handler(self, demand):
        w = self.world
        return w.liaison_a if demand.unit_id == w.unit_a.pk else w.liaison_b

    def step(self, demand, step):
        w = self.world
        demand = Demand.objects.get(pk=demand.pk)
        if step in ("dispatch_a", "dispatch_b"):
            unit = w.unit_a if step == "dispatch_a" else w.unit_b
            self.run(actions.dispatch_demand, demand, unit, actor=w.director)
        elif demand.unit_id is None:
            return  # the unit's steps need a unit
        elif step == "accept":
            self.run(actions.accept_demand, demand, actor=self.handler(demand))
        elif step == "return":
            self.run(
                actions.return_demand,
                demand,
                reason="不屬本單位",
                actor=self.handler(demand),
            )
        elif step == "extend":
            extension = self.run(
                actions.request_extension,
                demand,
                days=3,
                reason="需要現場勘查",
                actor=self.handler(demand),
            )
            self.run(
                actions.decide_extension, extension, approve=True, actor=w.director
            )
        elif step.startswith("reply_"):
            self.run(
                actions.reply_demand,
                demand,
                reply="已處理",
                solved=step == "reply_solved",
                actor=self.handler(demand),
            )
        else:
            rating = {
                "rate_satisfied": Rating.SATISFIED,
                "rate_unsatisfied": Rating.UNSATISFIED,
                "rate_unknown": Rating.UNKNOWN,
            }[step]
            self.run(actions.rate_demand, demand, rating=rating)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(STEPS)), min_size=1, max_size=14
    )
)
def test_the_rollup_equals_the_live_count_after_any_transitions(world, steps):
    # each example starts from no demands: its writes are rolled back after it
    with transaction.atomic():
        walk = Walk(world)
        demands = [walk.submit(n) for n in range(3)]
        for index, step in steps:
            # a Conflict: not a transition from the demand's present state
            with contextlib.suppress(Conflict):
                walk.step(demands[index], step)
        assert_rollup_is_live(world.campaign)
        assert_months_are_the_days_sums(world.campaign)
        incremental = stat_rows(world.campaign)
        incremental_months = stat_rows(world.campaign, rollup.MONTH)
        rollup.rebuild(world.campaign.pk)
        assert stat_rows(world.campaign) == incremental
        assert stat_rows(world.campaign, rollup.MONTH) == incremental_months
        transaction.set_rollback(True)


def test_a_demand_moved_to_another_unit_leaves_the_first_units_row(world):
    walk = Walk(world)
    demand = walk.submit(0)
    walk.step(demand, "dispatch_a")
    walk.step(demand, "accept")
    units = {unit for unit, _task, _day in stat_rows(world.campaign)}
    assert units == {world.unit_a.pk}
    walk.step(demand, "return")
    walk.step(demand, "dispatch_b")
    rows = stat_rows(world.campaign)
    assert [(unit, row["dispatched"]) for (unit, _t, _d), row in rows.items()] == [
        (world.unit_b.pk, 1)
    ]
    assert_rollup_is_live(world.campaign)


def test_a_demand_counts_on_its_local_day_of_submission(world, settings):
    """Submitted at 23:30 UTC, it is the next morning in Shanghai."""
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    demand, _code = actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        title="夜間噪音",
        content="夜間施工噪音擾民。",
        urgency=Urgency.NORMAL,
        category=category,
    )
    moment = datetime.datetime(2025, 3, 31, 23, 30, tzinfo=datetime.UTC)
    Demand.objects.filter(pk=demand.pk).update(submitted_at=moment)
    rollup.rebuild(world.campaign.pk)
    (stat,) = DemandDayStat.objects.filter(campaign=world.campaign)
    assert stat.day == datetime.date(2025, 4, 1) == rollup.local_day(moment)
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert moment.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai")).day == 1
    march = metrics.Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    assert metrics.report(world.campaign, period=march).total.received == 0
    april = metrics.Period(datetime.date(2025, 4, 1), datetime.date(2025, 4, 1))
    assert metrics.report(world.campaign, period=april).total.received == 1


def test_a_rebuild_leaves_other_campaigns_alone(world, other_world):
    today = datetime.date(2025, 4, 1)
    for campaign in (world.campaign, other_world.campaign):
        DemandDayStat.objects.create(campaign=campaign, day=today, received=9)
        DemandMonthStat.objects.create(campaign=campaign, month=today, received=9)
    rollup.rebuild(world.campaign.pk)
    left = DemandDayStat.objects.values_list("campaign_id", "day", "received")
    assert list(left) == [(other_world.campaign.pk, today, 9)]
    left_months = DemandMonthStat.objects.values_list(
        "campaign_id", "month", "received"
    )
    assert list(left_months) == [(other_world.campaign.pk, today, 9)]


def test_a_transition_that_fails_leaves_the_rollup_as_it_was(world):
    walk = Walk(world)
    demand = walk.submit(0)
    walk.step(demand, "dispatch_a")
    before = stat_rows(world.campaign)
    # the audit write fails after the demand and its counts changed: all roll back
    with (
        mock.patch("demands.actions.record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        actions.accept_demand(demand, actor=world.liaison_a)
    assert stat_rows(world.campaign) == before
    assert Demand.objects.get(pk=demand.pk).accepted_at is None
    assert_rollup_is_live(world.campaign)


def test_the_command_rebuilds_a_campaigns_rollup(world, capsys):
    actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="請幫助疏通。",
        urgency=Urgency.NORMAL,
    )
    # as after generated or imported rows
    DemandDayStat.objects.all().delete()
    DemandMonthStat.objects.all().delete()
    call_command("rebuild_demand_stats", campaign=world.campaign.slug)
    assert "1 rows" in capsys.readouterr().out
    assert metrics.report(world.campaign).total.received == 1
    assert_months_are_the_days_sums(world.campaign)


def test_the_command_refuses_an_unknown_campaign(world):
    with pytest.raises(CommandError):
        call_command("rebuild_demand_stats", campaign="no-such-campaign")


def test_a_row_written_behind_the_actions_back_is_recounted_by_the_next_change(
    world,
):
    walk = Walk(world)
    demand = walk.submit(0)
    # as after generated rows, not rebuilt
    DemandDayStat.objects.all().delete()
    DemandMonthStat.objects.all().delete()
    walk.step(demand, "dispatch_a")
    assert_rollup_is_live(world.campaign)
    assert_months_are_the_days_sums(world.campaign)
    rows = stat_rows(world.campaign)
    assert [(unit, row["dispatched"]) for (unit, _t, _d), row in rows.items()] == [
        (world.unit_a.pk, 1)
    ]


# Submission moments (UTC) across four months; the 23:30 UTC ones are the next
# local day in Shanghai, so the last of January counts in February.
SPREAD = [
    datetime.datetime(2025, 1, 1, 2, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 1, 14, 8, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 1, 31, 23, 30, tzinfo=datetime.UTC),
    datetime.datetime(2025, 2, 1, 3, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 2, 28, 6, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 3, 9, 6, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 3, 31, 15, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 4, 2, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 4, 30, 23, 30, tzinfo=datetime.UTC),
]


@pytest.fixture
def spread(world):
    """Demands submitted across four months (dates moved, then rebuilt as after an
    import), then handled through the actions, which keep both levels of those
    past months' rows."""
    walk = Walk(world)
    demands = [walk.submit(n % 3) for n in range(len(SPREAD))]
    for demand, moment in zip(demands, SPREAD, strict=True):
        Demand.objects.filter(pk=demand.pk).update(submitted_at=moment)
    rollup.rebuild(world.campaign.pk)
    for n, demand in enumerate(demands):
        walk.step(demand, "dispatch_a" if n % 2 else "dispatch_b")
        if n % 3:
            walk.step(demand, "accept")
            walk.step(demand, "reply_solved" if n % 4 else "reply_unsolved")
        if n % 3 == 1:
            walk.step(demand, "rate_satisfied")
    return world.campaign


DAYS = st.dates(datetime.date(2024, 12, 25), datetime.date(2025, 5, 5))


def test_the_month_rows_are_kept_by_the_actions_for_past_months(spread):
    assert len(stat_rows(spread, rollup.MONTH)) > 4
    assert_months_are_the_days_sums(spread)
    assert_rollup_is_live(spread)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.none() | DAYS, end=st.none() | DAYS)
def test_whole_months_and_edge_days_add_up_to_the_live_count(spread, start, end):
    """Any period, whatever its edges: the report (month rows for the whole months,
    day rows for the rest) equals the live count of the raw demands."""
    period = metrics.Period(start, end)
    live = metrics.demands_in(spread, period=period)
    report = metrics.report(spread, period=period)
    assert report.total == metrics.totals(live)
    assert report.by_unit == metrics.grouped(live, "unit")
    assert report.by_main_task == metrics.grouped(live, "main_task")


@pytest.mark.parametrize(
    ("start", "end", "months", "days"),
    [
        # whole months only
        ("2025-01-01", "2025-03-31", ("2025-01-01", "2025-04-01"), ()),
        # a partial month at each edge
        (
            "2025-01-15",
            "2025-03-09",
            ("2025-02-01", "2025-03-01"),
            (("2025-01-15", "2025-01-31"), ("2025-03-01", "2025-03-09")),
        ),
        # within one month: its days only
        ("2025-02-03", "2025-02-27", None, (("2025-02-03", "2025-02-27"),)),
        # a whole month that is also the edge of nothing
        ("2025-02-01", "2025-02-28", ("2025-02-01", "2025-03-01"), ()),
        # open ends
        (None, "2025-03-09", (None, "2025-03-01"), (("2025-03-01", "2025-03-09"),)),
        ("2025-01-15", None, ("2025-02-01", None), (("2025-01-15", "2025-01-31"),)),
        (None, None, (None, None), ()),
        # an empty period (end before start)
        ("2025-03-09", "2025-03-01", None, (("2025-03-09", "2025-03-01"),)),
    ],
)
def test_a_period_splits_into_whole_months_and_edge_days(start, end, months, days):
    def day(text):
        return None if text is None else datetime.date.fromisoformat(text)

    split = metrics.split(metrics.Period(day(start), day(end)))
    expected_months = None if months is None else tuple(map(day, months))
    assert split.months == expected_months
    assert split.days == tuple((day(a), day(b)) for a, b in days)
