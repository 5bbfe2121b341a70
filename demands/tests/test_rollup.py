"""The figures' rollup: kept by the actions in their own transactions, equal to the
live count of the raw demands, and the same whether kept change by change or
rebuilt."""

import contextlib
import datetime
import zoneinfo
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demands import actions, metrics, rollup
from demands.models import Demand, DemandDayStat, DemandKind, Rating, Urgency
from demands.tests.factories import CategoryFactory
from sanfu.lib.errors import Conflict

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


def stat_rows(campaign):
    """The rollup's rows, comparable: (unit, main task, day) → counts."""
    return {
        (stat["unit_id"], stat["main_task_id"], stat["day"]): stat
        for stat in DemandDayStat.objects.filter(campaign=campaign)
        .values("unit_id", "main_task_id", "day", *metrics.COUNTS)
        .order_by()
    }


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
        incremental = stat_rows(world.campaign)
        rollup.rebuild(world.campaign.pk)
        assert stat_rows(world.campaign) == incremental
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
    DemandDayStat.objects.create(campaign=world.campaign, day=today, received=9)
    DemandDayStat.objects.create(campaign=other_world.campaign, day=today, received=9)
    rollup.rebuild(world.campaign.pk)
    left = DemandDayStat.objects.values_list("campaign_id", "day", "received")
    assert list(left) == [(other_world.campaign.pk, today, 9)]


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
    DemandDayStat.objects.all().delete()  # as after generated or imported rows
    call_command("rebuild_demand_stats", campaign=world.campaign.slug)
    assert "1 rows" in capsys.readouterr().out
    assert metrics.report(world.campaign).total.received == 1


def test_the_command_refuses_an_unknown_campaign(world):
    with pytest.raises(CommandError):
        call_command("rebuild_demand_stats", campaign="no-such-campaign")


def test_a_row_written_behind_the_actions_back_is_recounted_by_the_next_change(
    world,
):
    walk = Walk(world)
    demand = walk.submit(0)
    DemandDayStat.objects.all().delete()  # as after generated rows, not rebuilt
    walk.step(demand, "dispatch_a")
    assert_rollup_is_live(world.campaign)
    rows = stat_rows(world.campaign)
    assert [(unit, row["dispatched"]) for (unit, _t, _d), row in rows.items()] == [
        (world.unit_a.pk, 1)
    ]
