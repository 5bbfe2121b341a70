"""The office's list of demands: who sees which, filters, cards and keyset pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demands import actions
from demands.models import Demand, DemandKind, Urgency
from demands.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

URL = reverse("demands_office:index")


def submit(world, title="村口水渠堵塞", **extra):
    fields = {
        "kind": DemandKind.HELP,
        "title": title,
        "content": f"{title}，請幫助解決。",
        "urgency": Urgency.NORMAL,
    }
    fields.update(extra)
    demand, _code = actions.submit_demand(world.campaign, **fields)
    return demand


@pytest.fixture
def clock(request, time_machine):
    """The moment the test runs at, fixed so that no test depends on today's
    weekday; a test names another through indirect parametrisation."""
    day = getattr(request, "param", datetime.date(2026, 12, 6))
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    time_machine.move_to(moment, tick=True)
    return moment


@pytest.fixture
def demands(world, clock):
    """One demand dispatched to unit A, one to unit B, one waiting for dispatch."""
    for_a = submit(world, "甲處的訴求")
    actions.dispatch_demand(for_a, world.unit_a, actor=world.director)
    for_b = submit(world, "乙處的訴求")
    actions.dispatch_demand(for_b, world.unit_b, actor=world.director)
    waiting = submit(world, "待分派的訴求")
    return Demand.objects.get(pk=for_a.pk), Demand.objects.get(pk=for_b.pk), waiting


def listed(response) -> set[int]:
    return {demand.pk for demand, _card in response.context["rows"]}


def test_the_office_sees_every_demand_of_its_campaign(login, world, demands):
    response = login(world.director).get(URL)
    assert response.status_code == 200
    assert listed(response) == {d.pk for d in demands}


def test_the_leader_sees_every_demand_too(login, world, demands):
    assert listed(login(world.leader).get(URL)) == {d.pk for d in demands}


def test_a_liaison_sees_only_the_demands_of_their_unit(login, world, demands):
    for_a, _for_b, _waiting = demands
    assert listed(login(world.liaison_a).get(URL)) == {for_a.pk}


def test_another_units_liaison_sees_none_of_unit_as_demands(login, world, demands):
    _for_a, for_b, _waiting = demands
    assert listed(login(world.liaison_b).get(URL)) == {for_b.pk}


def test_the_office_of_another_campaign_sees_none(login, world, other_world, demands):
    assert listed(login(other_world.director).get(URL)) == set()


def test_a_person_without_a_demands_role_is_refused(login, world, demands):
    assert login(world.staff_a).get(URL).status_code == 403
    assert login(world.editor).get(URL).status_code == 403


def test_an_outsider_is_sent_to_the_login(login, world):
    response = login(world.outsider).get(URL)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_public_is_sent_to_the_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_menu_shows_demands_to_those_who_handle_them(login, world):
    home = reverse("wagtailadmin_home")
    assert URL in login(world.director).get(home).content.decode()
    assert URL in login(world.liaison_a).get(home).content.decode()
    assert URL not in login(world.staff_a).get(home).content.decode()


def test_filters_narrow_the_list(login, world, demands):
    for_a, for_b, waiting = demands
    client = login(world.director)
    assert listed(client.get(URL, {"unit": world.unit_b.pk})) == {for_b.pk}
    assert listed(client.get(URL, {"status": "submitted"})) == {waiting.pk}
    assert listed(client.get(URL, {"q": "乙處"})) == {for_b.pk}
    assert listed(client.get(URL, {"q": for_a.tracking_no})) == {for_a.pk}
    assert listed(client.get(URL, {"kind": DemandKind.COMPLAINT})) == set()


# Sunday 6 to Saturday 12 December 2026, then the turn of the year
@pytest.mark.parametrize(
    "clock",
    [
        *(datetime.date(2026, 12, 6) + datetime.timedelta(days=n) for n in range(7)),
        datetime.date(2026, 12, 31),
    ],
    indirect=True,
    ids=str,
)
def test_overdue_demands_show_with_a_red_card(login, world, demands):
    for_a, for_b, waiting = demands
    Demand.objects.filter(pk=waiting.pk).update(
        dispatch_due=timezone.now() - datetime.timedelta(hours=1)
    )
    # 22 of its 24 hours used: past the campaign's 75%
    Demand.objects.filter(pk=for_a.pk).update(
        dispatched_at=timezone.now() - datetime.timedelta(hours=22),
        accept_due=timezone.now() + datetime.timedelta(hours=2),
    )
    # Far from any card whatever the weekday: barely any of its limit is used.
    Demand.objects.filter(pk=for_b.pk).update(
        accept_due=timezone.now() + datetime.timedelta(days=10)
    )
    client = login(world.director)
    response = client.get(URL, {"overdue": "on"})
    assert listed(response) == {waiting.pk}
    cards = {d.pk: card for d, card in client.get(URL).context["rows"]}
    assert cards[waiting.pk] == "red"
    assert cards[for_a.pk] == "yellow"
    assert cards[for_b.pk] == ""


def test_possible_duplicates_can_be_listed_alone(login, world):
    first = submit(world, submitter_phone="13812345678")
    again = submit(world, "另一件事", submitter_phone="13812345678")
    again.refresh_from_db()  # flagged by the task the submission queued
    assert again.possible_duplicate_of == first
    response = login(world.director).get(URL, {"duplicates": "on"})
    assert listed(response) == {again.pk}


def test_pages_follow_each_other_by_key_without_gaps(login, world, settings):
    import demands.views.office as office

    created = [submit(world, f"訴求{n}") for n in range(5)]
    # two demands in the same instant: the id breaks the tie
    same = created[0].submitted_at
    Demand.objects.filter(pk=created[1].pk).update(submitted_at=same)
    client = login(world.director)
    seen: list[int] = []
    url = URL
    old_size, office.PAGE_SIZE = office.PAGE_SIZE, 2
    try:
        for _page in range(5):
            response = client.get(url)
            seen += [d.pk for d, _card in response.context["rows"]]
            if not response.context["next_url"]:
                break
            url = URL + response.context["next_url"]
    finally:
        office.PAGE_SIZE = old_size
    assert sorted(seen) == sorted(d.pk for d in created)
    assert len(seen) == len(set(seen))


def test_the_list_costs_the_same_queries_however_many_rows(
    login, world, clock, django_assert_max_num_queries
):
    category = CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a
    )
    for n in range(3):
        demand = submit(world, f"訴求{n}", category=category)
        actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    client = login(world.director)
    client.get(URL)  # warm the caches that live across requests
    # 14 today, most of them the admin's own furniture (session, permissions,
    # menus); the bound leaves room for other apps' menu items, the equality
    # below is what keeps the rows from costing a query each.
    with django_assert_max_num_queries(QUERIES) as few:
        client.get(URL)
    for n in range(10):
        demand = submit(world, f"更多{n}", category=category)
        actions.dispatch_demand(demand, world.unit_b, actor=world.director)
    with django_assert_max_num_queries(QUERIES) as many:
        response = client.get(URL)
    assert len(response.context["rows"]) == 13
    assert len(many) == len(few)


# the admin menu grew: audit trail, jobs list, who may hold a token; in December
# (the clock's) the calendar warning looks up next year's holiday notice; the
# breach risk (demands.risk) adds three: history, backlog, calendar overrides
QUERIES = 23


@pytest.mark.parametrize(
    "cursor", ["2024-02-30T00:00:00Z_1", "9999-12-31T23:59:59-12:00_1"]
)
def test_a_malformed_cursor_shows_the_first_page(login, world, cursor):
    response = login(world.director).get(
        reverse("demands_office:index"), {"after": cursor}
    )
    assert response.status_code == 200
