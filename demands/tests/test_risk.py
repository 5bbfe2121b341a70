"""Early warning: the breach risk of open demands, its three factors, and the
office list's order and filter by it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.workdays import WorkdayCounter, add_workdays, workdays_between
from demands import actions, risk
from demands.models import Demand, DemandKind, DemandStatus, Urgency
from demands.tests.factories import CategoryFactory
from org.calendar import overrides

pytestmark = pytest.mark.django_db

URL = reverse("demands_office:index")


# a Monday, away from holidays
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return MONDAY


def submit(world, title, category):
    demand, _code = actions.submit_demand(
        world.campaign,
        kind=DemandKind.HELP,
        title=title,
        content=f"{title}，請處理。",
        urgency=Urgency.NORMAL,
        category=category,
    )
    return demand


def held(world, unit, category, title="渠道堵塞"):
    demand = submit(world, title, category)
    actions.dispatch_demand(demand, unit, actor=world.director)
    return Demand.objects.get(pk=demand.pk)


def history(world, unit, category, days: list[int]):
    """Replied demands of ``unit``, each taking ``days`` working days."""
    start = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
    for n, took in enumerate(days):
        demand = submit(world, f"舊訴求{n}", category)
        Demand.objects.filter(pk=demand.pk).update(
            status=DemandStatus.CLOSED,
            unit=unit,
            dispatched_at=start,
            replied_at=add_workdays(start, took, {}),
            closed_at=start + datetime.timedelta(days=40),
        )


def test_a_slow_unit_short_of_time_with_a_backlog_is_at_higher_risk():
    slow = risk.breach_probability([8, 9, 10, 12, 14], spent=2, left=3, backlog=0)
    fast = risk.breach_probability([1, 2, 2, 3, 3], spent=0, left=5, backlog=0)
    assert slow > risk.HIGH > risk.MEDIUM > fast
    # fewer days left, more risk
    assert risk.breach_probability(
        [3, 4, 5, 6, 7], spent=0, left=2, backlog=0
    ) > risk.breach_probability([3, 4, 5, 6, 7], spent=0, left=6, backlog=0)
    # a backlog beyond what a unit carries without strain raises it
    assert risk.breach_probability(
        [3, 4, 5], spent=0, left=4, backlog=40
    ) > risk.breach_probability([3, 4, 5], spent=0, left=4, backlog=5)
    # no history: the prior
    assert risk.breach_probability([], spent=0, left=5, backlog=0) == pytest.approx(
        risk.PRIOR
    )


def test_the_workday_counter_agrees_with_counting_day_by_day():
    first, last = datetime.date(2026, 9, 20), datetime.date(2026, 10, 20)
    counter = WorkdayCounter(first, last, overrides())
    for start, end in [
        (datetime.date(2026, 9, 29), datetime.date(2026, 10, 9)),  # 國慶
        (datetime.date(2026, 9, 20), datetime.date(2026, 10, 20)),
        (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)),  # out of range
    ]:
        assert counter.between(start, end) == workdays_between(start, end, {})


def test_the_three_factors_are_counted(world, clock):
    category = CategoryFactory.create(campaign=world.campaign)
    history(world, world.unit_a, category, [4, 6, 6, 7, 9])
    demand = held(world, world.unit_a, category)
    found = risk.risks_for([demand])[demand.pk]
    assert found.median_days == 6
    assert found.basis == "category"
    assert found.samples == 5
    assert found.backlog == 1
    assert found.days_spent == 0
    # a help request is due in REPLY_WORKDAYS["help"] working days
    assert found.days_left == workdays_between(
        clock.date(), timezone.localtime(demand.reply_due).date(), {}
    )


def test_few_demands_of_the_category_fall_back_to_the_units_history(world, clock):
    category, other = CategoryFactory.create_batch(2, campaign=world.campaign)
    history(world, world.unit_a, other, [10, 11, 12, 13, 14, 15])
    history(world, world.unit_a, category, [1])
    demand = held(world, world.unit_a, category)
    found = risk.risks_for([demand])[demand.pk]
    assert found.basis == "unit"
    assert found.samples == 7


def test_a_demand_waiting_for_dispatch_has_no_risk(world, clock):
    demand = submit(world, "待分派", CategoryFactory.create(campaign=world.campaign))
    assert risk.risks_for([demand]) == {}


@pytest.fixture
def slow_and_fast(world, clock):
    category = CategoryFactory.create(campaign=world.campaign)
    history(world, world.unit_a, category, [12, 13, 14, 15, 16, 18])
    history(world, world.unit_b, category, [1, 1, 2, 2, 3, 3])
    fast = held(world, world.unit_b, category, "快處的訴求")
    slow = held(world, world.unit_a, category, "慢處的訴求")
    return slow, fast


def test_the_list_shows_the_risk_and_sorts_by_it(login, world, slow_and_fast):
    slow, fast = slow_and_fast
    client = login(world.director)
    newest_first = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert [d.pk for d, _c in newest_first.context["rows"]][:2] == [slow.pk, fast.pk]
    response = client.get(URL, {"order": "risk"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = [demand for demand, _card in response.context["rows"]]
    assert [d.pk for d in rows] == [slow.pk, fast.pk]
    assert rows[0].risk.level == "high"
    assert rows[1].risk.level == "low"
    body = response.content.decode()
    assert f'data-risk="{rows[0].risk.percent}"' in body
    assert "High risk (≥ 50%)" in body
    assert "Low risk (&lt; 25%)" in body


def test_the_list_filters_by_risk_level(login, world, slow_and_fast):
    slow, fast = slow_and_fast
    client = login(world.director)
    high = client.get(URL, {"risk": "high"})
    assert [d.pk for d, _c in high.context["rows"]] == [slow.pk]
    assert high.context["matching"] == 1
    low = client.get(URL, {"risk": "low"})
    assert [d.pk for d, _c in low.context["rows"]] == [fast.pk]


def test_the_demand_page_explains_the_risk(login, world, slow_and_fast):
    slow, _fast = slow_and_fast
    response = login(world.director).get(
        reverse("demands_office:detail", args=[slow.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert (
        "The unit's median for this category: 14.5 working days (of 6 demands)" in body
    )
    assert "working days left: 10" in body
    assert "open demands in hand: 1" in body


def test_a_unit_sees_the_risk_of_its_own_demands_only(login, world, slow_and_fast):
    _slow, fast = slow_and_fast
    response = login(world.liaison_b).get(URL, {"order": "risk"})
    assert [d.pk for d, _c in response.context["rows"]] == [fast.pk]


@pytest.mark.parametrize("params", [{}, {"order": "risk"}])
def test_the_risk_costs_the_same_queries_however_many_rows(
    login, world, clock, django_assert_max_num_queries, params
):
    category = CategoryFactory.create(campaign=world.campaign)
    history(world, world.unit_a, category, [3, 4, 5, 6, 7])
    held(world, world.unit_a, category)
    client = login(world.director)
    client.get(URL, params)  # warm the caches that live across requests
    with django_assert_max_num_queries(23) as few:
        client.get(URL, params)
    for n in range(8):
        held(world, world.unit_a if n % 2 else world.unit_b, category, f"又一件{n}")
    with django_assert_max_num_queries(23) as many:
        response = client.get(URL, params)
    assert sum(1 for d, _c in response.context["rows"] if d.risk) == 9
    assert len(many) == len(few)
