from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import seats
from campaigns.roles import CampaignRole
from campaigns.tests.factories import PositionFactory
from conftest import World
from org.models import UnitRole

pytestmark = pytest.mark.django_db


def test_it_reads_all_of_a_persons_seats_in_one_query(world: World) -> None:
    clerk = world.clerk
    with CaptureQueriesContext(connection) as queries:
        held = seats.seats_of(clerk)
        office = seats.campaigns_where(clerk, seats.OFFICE)
        oversight = seats.campaigns_where(clerk, seats.OVERSIGHT)
        assert seats.holds(clerk, world.campaign, seats.OFFICE)
        assert not seats.holds(clerk, world.campaign, seats.APPROVERS)
        assert not seats.acts_for_unit(clerk, world.unit_a.pk)
        assert seats.seats_of(clerk) is held
    assert len(queries) == 1
    assert list(office) == [world.campaign]
    assert list(oversight) == [world.campaign]


def test_it_tells_campaign_seats_from_unit_places(world: World) -> None:
    director = seats.seats_of(world.director)
    assert director.roles == {CampaignRole.OFFICE_DIRECTOR}
    assert director.campaign_ids(seats.OFFICE) == {world.campaign.pk}
    assert director.campaign_organisation_ids() == {world.organisation.pk}
    assert director.unit_ids() == set()
    head = seats.seats_of(world.head_a)
    assert head.roles == {UnitRole.HEAD}
    assert head.unit_ids(seats.UNIT_WRITERS) == {world.unit_a.pk}
    assert head.unit_organisation_ids() == {world.organisation.pk}
    assert head.campaign_ids() == set()
    assert seats.seats_of(world.staff_a).unit_ids(seats.UNIT_WRITERS) == set()


def test_holds_somewhere_answers_as_campaigns_where_without_a_query(  # type: ignore[no-untyped-def]
    world: World, django_assert_num_queries
) -> None:
    """The admin menu asks it on every page: from the seats already read."""
    people = (world.director, world.clerk, world.leader, world.liaison_a)
    for person in people:
        seats.seats_of(person)
    with django_assert_num_queries(0):
        answers = [
            seats.holds_somewhere(person, roles)
            for person in people
            for roles in (seats.OFFICE, seats.OVERSIGHT)
        ]
    assert answers == [
        seats.campaigns_where(person, roles).exists()
        for person in people
        for roles in (seats.OFFICE, seats.OVERSIGHT)
    ]
    assert answers == [True, True, True, True, False, True, False, False]
    superuser = world.outsider
    superuser.is_superuser = True
    assert seats.holds_somewhere(superuser, seats.OFFICE)
    superuser.is_active = False
    assert not seats.holds_somewhere(superuser, seats.OFFICE)


def test_an_inactive_person_holds_nothing(world: World) -> None:
    world.director.is_active = False
    assert seats.seats_of(world.director) is seats.NO_SEATS
    assert not seats.campaigns_where(world.director, seats.OFFICE).exists()
    assert not seats.holds(world.director, world.campaign, seats.OFFICE)


def test_a_seat_given_after_the_first_read_is_seen(world: World) -> None:
    outsider = world.outsider
    assert seats.seats_of(outsider).roles == set()
    PositionFactory.create(
        person=outsider, body=world.office, role=CampaignRole.OFFICE_DIRECTOR
    )
    assert seats.holds(outsider, world.campaign, seats.OFFICE)


def test_each_role_set_is_defined_once() -> None:
    assert set(seats.OVERSIGHT) == {*seats.LEADING_GROUP, *seats.OFFICE}
    assert CampaignRole.PUBLICITY in seats.PUBLICITY_DESK
    assert CampaignRole.PUBLICITY not in seats.OFFICE


@pytest.mark.parametrize(
    "name",
    [
        "wagtailadmin_home",
        "campaign_plans:index",
        "campaign_plans:work_plan",
        "demands_office:index",
    ],
)
def test_a_request_reads_the_seats_once(world: World, login, name: str) -> None:  # type: ignore[no-untyped-def]
    """The admin's menus and every access check in one request ask the same seats."""
    kwargs = {"campaign": world.campaign.pk} if name.endswith("work_plan") else {}
    client = login(world.clerk)
    with mock.patch.object(seats, "_read", wraps=seats._read) as read:
        response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert read.call_count == 1
