"""The rates as a 12345 back office defines them, checked against a plain count
over the raw demands: an on-time rate's denominator holds what has come due or was
done, late and undone counts as late, not yet due and undone is left out; every
table's rows add up to its total; a small sample is flagged."""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import MainTask
from campaigns.tests.factories import MainTaskFactory
from demands import actions, metrics, rollup
from demands.metrics import Period
from demands.models import Demand, DemandKind, DemandStatus, Rating, Urgency
from demands.tests.factories import CategoryFactory, submit_test_demand

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
# the moment the figures are read: fixed, whatever day the suite runs
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZONE)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def submit(world, category=None):
    return submit_test_demand(world, category=category)


def unit_row(report, unit):
    return next(row for row in report.by_unit if row.key == unit.pk)


# -- the observations ------------------------------------------------------------------


def test_a_demand_just_dispatched_is_not_a_failed_response(world):
    demand = actions.dispatch_demand(submit(world), world.unit_a, actor=world.director)
    assert demand.accept_due is not None and demand.dispatched_at is not None
    minutes_later = demand.dispatched_at + datetime.timedelta(minutes=5)
    row = unit_row(metrics.report(world.campaign, now=minutes_later), world.unit_a)
    # was 0.0 %: the demand inside its acceptance deadline counted as failed
    assert row.figure(metrics.RESPONSE).denominator == 0
    assert row.response_rate is None
    # once the deadline has passed unaccepted, it is late
    after = demand.accept_due + HOUR
    row = unit_row(metrics.report(world.campaign, now=after), world.unit_a)
    assert (row.accepted_in_time, row.acceptance_overdue) == (0, 1)
    assert row.response_rate == 0.0


def test_a_unit_sitting_on_overdue_demands_has_a_low_on_time_rate(world):
    for _ in range(2):
        demand = actions.dispatch_demand(
            submit(world), world.unit_a, actor=world.director
        )
        actions.accept_demand(demand, actor=world.liaison_a)
    assert demand.reply_due is not None
    past_due = demand.reply_due + HOUR
    row = unit_row(metrics.report(world.campaign, now=past_due), world.unit_a)
    # was "—": only replied demands were looked at
    assert row.reply_overdue == 2
    figure = row.figure(metrics.ON_TIME_REPLY)
    assert (figure.numerator, figure.denominator, figure.value) == (0, 2, 0.0)
    assert figure.small


def test_undispatched_and_uncategorised_demands_have_their_own_rows(world):
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    actions.dispatch_demand(submit(world, category), world.unit_a, actor=world.clerk)
    submit(world, category)  # not dispatched
    submit(world)  # not dispatched, no main task
    report = metrics.report(world.campaign, now=NOW)
    assert report.total.received == 3
    assert [(row.key, row.received) for row in report.by_unit] == [
        (world.unit_a.pk, 1),
        (None, 2),
    ]
    assert [(row.key, row.received) for row in report.by_main_task] == [
        (category.main_task_id, 2),
        (None, 1),
    ]
    assert_rows_add_up(report)


def test_the_undispatched_row_is_never_ranked():
    rows = [
        metrics.Row(key=None, label="", rated=9, satisfied=9),
        metrics.Row(key=1, label="", rated=9, satisfied=3),
    ]
    assert metrics.rank(rows, min_rated=5) == {1: 1}


@pytest.mark.parametrize(
    ("denominator", "small"), [(0, False), (1, True), (4, True), (5, False)]
)
def test_a_rate_over_fewer_than_five_demands_is_flagged(denominator, small):
    row = metrics.Row(key=1, label="", rated=denominator, satisfied=denominator)
    figure = row.figure(metrics.SATISFACTION)
    assert figure.small is small
    assert figure.value == (1.0 if denominator else None)


def test_every_rate_has_one_definition_the_row_uses():
    row = metrics.Row(
        key=1,
        label="",
        dispatched=6,
        awaiting_acceptance=3,
        acceptance_overdue=1,
        accepted_in_time=2,
        reply_timed=2,
        replied_in_time=1,
        reply_overdue=2,
    )
    assert [rate.name for rate in metrics.RATE_DEFINITIONS] == list(metrics.RATES)
    assert row.response_rate == 2 / 4  # 3 accepted + 1 late, 2 waiting left out
    assert row.on_time_reply_rate == 1 / 4  # 2 replied + 2 late and unanswered
    for rate in metrics.RATE_DEFINITIONS:
        assert getattr(row, rate.name) == row.figure(rate).value
        assert str(rate.definition)


# -- any set of demands, any period: the figures are a count over the raw demands ------

STATUSES = list(DemandStatus)
IN_HAND = {DemandStatus.DISPATCHED, DemandStatus.ACCEPTED, DemandStatus.REOPENED}


@dataclass(frozen=True)
class Spec:
    status: str
    day: int  # days before NOW it was submitted
    unit: int  # 0: unit A, 1: unit B (ignored while not dispatched)
    task: int  # 0, 1: a main task; 2: none
    accept_offset: int  # hours from NOW of the acceptance deadline
    accept_late: bool
    reply_offset: int  # hours from NOW of the reply deadline
    reply_late: bool
    solved: bool
    rating: str
    reopened: bool


specs = st.builds(
    Spec,
    status=st.sampled_from(STATUSES),
    day=st.integers(0, 70),
    unit=st.integers(0, 1),
    task=st.integers(0, 2),
    accept_offset=st.integers(-72, 72),
    accept_late=st.booleans(),
    reply_offset=st.integers(-400, 400),
    reply_late=st.booleans(),
    solved=st.booleans(),
    rating=st.sampled_from(["", *Rating.values]),
    reopened=st.booleans(),
)


def build(world, tasks, spec):
    """A demand as the actions leave one in ``spec.status``, written directly."""
    submitted = NOW - spec.day * DAY - HOUR
    fields = {
        "campaign": world.campaign,
        "kind": DemandKind.HELP,
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "urgency": Urgency.NORMAL,
        "status": spec.status,
        "submitted_at": submitted,
        "dispatch_due": submitted + DAY,
        "main_task": tasks[spec.task],
    }
    status = DemandStatus(spec.status)
    if status not in (DemandStatus.SUBMITTED, DemandStatus.RETURNED):
        accept_due = NOW + spec.accept_offset * HOUR
        reply_due = NOW + spec.reply_offset * HOUR
        fields |= {
            "unit": (world.unit_a, world.unit_b)[spec.unit],
            "dispatched_at": submitted,
            "accept_due": accept_due,
            "reply_due": reply_due,
        }
        if status != DemandStatus.DISPATCHED:
            fields["accepted_at"] = accept_due + (HOUR if spec.accept_late else -HOUR)
        if status == DemandStatus.REOPENED:
            fields["reopen_count"] = 1
        if status in (DemandStatus.REPLIED, DemandStatus.CLOSED):
            fields |= {
                "replied_at": reply_due + (HOUR if spec.reply_late else -HOUR),
                "solved": spec.solved,
                "rating": spec.rating,
                "reopen_count": int(spec.reopened),
            }
    return Demand(**fields)


def raw_counts(demands, now):
    """Each rate's numerator and denominator, counted one demand at a time from the
    definitions, without the figures' code."""
    counts = {rate.name: [0, 0] for rate in metrics.RATE_DEFINITIONS}
    for d in demands:
        if d.accepted_at is not None or (
            d.status == DemandStatus.DISPATCHED and d.accept_due <= now
        ):
            counts["response_rate"][1] += 1
            if d.accepted_at is not None and d.accepted_at <= d.accept_due:
                counts["response_rate"][0] += 1
        if d.replied_at is not None or (d.status in IN_HAND and d.reply_due <= now):
            counts["on_time_reply_rate"][1] += 1
            if d.replied_at is not None and d.replied_at <= d.reply_due:
                counts["on_time_reply_rate"][0] += 1
        replied = d.replied_at is not None or d.reopen_count > 0
        counts["resolution_rate"][1] += replied
        counts["resolution_rate"][0] += bool(d.solved)
        counts["reopen_rate"][1] += replied
        counts["reopen_rate"][0] += d.reopen_count > 0
        counts["flagged_reply_rate"][1] += d.replied_at is not None
        counts["flagged_reply_rate"][0] += d.replied_at is not None and d.reply_flagged
        counted = d.rating in (r.value for r in metrics.COUNTED_RATINGS)
        counts["satisfaction_rate"][1] += counted
        counts["satisfaction_rate"][0] += d.rating in (
            Rating.SATISFIED,
            Rating.BASICALLY_SATISFIED,
        )
    return {name: tuple(pair) for name, pair in counts.items()}


def figures(row):
    return {
        rate.name: (row.figure(rate).numerator, row.figure(rate).denominator)
        for rate in metrics.RATE_DEFINITIONS
    }


def assert_rows_add_up(report):
    for rows in (report.by_unit, report.by_main_task):
        for name in metrics.ALL_COUNTS:
            assert sum(getattr(row, name) for row in rows) == getattr(
                report.total, name
            ), name


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    demands=st.lists(specs, max_size=12),
    start=st.one_of(st.none(), st.integers(0, 75)),
    length=st.one_of(st.none(), st.integers(0, 75)),
)
def test_any_periods_figures_are_a_count_over_the_raw_demands(
    world, demands, start, length
):
    with transaction.atomic():
        tasks: list[MainTask | None] = [
            MainTaskFactory.create(campaign=world.campaign) for _ in range(2)
        ]
        tasks.append(None)
        made = Demand.objects.bulk_create([build(world, tasks, s) for s in demands])
        rollup.rebuild(world.campaign.pk)
        first = None if start is None else (NOW - start * DAY).date()
        last = None if length is None or first is None else first + length * DAY
        report = metrics.report(world.campaign, period=Period(first, last), now=NOW)

        def inside(d):
            day = d.submitted_at.astimezone(ZONE).date()
            return (first is None or first <= day) and (last is None or day <= last)

        chosen = [d for d in made if inside(d)]
        assert report.total.received == len(chosen)
        assert figures(report.total) == raw_counts(chosen, NOW)
        for row in report.by_unit:
            theirs = [d for d in chosen if d.unit_id == row.key]
            assert figures(row) == raw_counts(theirs, NOW)
        for row in report.by_main_task:
            theirs = [d for d in chosen if d.main_task_id == row.key]
            assert figures(row) == raw_counts(theirs, NOW)
        assert_rows_add_up(report)
        # the live count agrees with the rollup's at the same moment
        live = metrics.demands_in(world.campaign, period=Period(first, last))
        assert report.total == metrics.totals(live, now=NOW)
        assert report.by_unit == metrics.grouped(live, "unit", now=NOW)
        transaction.set_rollback(True)
