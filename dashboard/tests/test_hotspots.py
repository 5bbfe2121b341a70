"""The cockpit's rising hotspots, a hotspot's page and the office's one step from
it, for every role."""

import pytest
import time_machine
from django.urls import reverse

from demands.hotspots import actions as hotspots
from demands.models import Hotspot
from demands.tests.hotspot_data import TODAY, four_weeks
from ledgers.models import PracticalDeed, Problem


@pytest.fixture
def rising(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        planted = four_weeks(world)
        hotspots.find_weekly()
    return Hotspot.objects.get(rising=True), planted


def deed_post(hotspot, unit):  # type: ignore[no-untyped-def]
    return {
        "unit": unit.pk,
        "title": "搶修天河南二路水管",
        "deed_class": "immediate",
        "beneficiaries": "天河南街道居民",
        "target": "一週內修復",
        "deadline": "2007-12-30",
    }


def post_deed(client, hotspot, unit):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("dashboard:hotspot_deed", args=[hotspot.pk]), deed_post(hotspot, unit)
    )


@pytest.mark.parametrize("who", ["leader", "director"])
def test_the_cockpit_shows_the_rising_hotspot_with_its_trend(world, rising, login, who):
    hotspot, _planted = rising
    client = login(getattr(world, who))

    page = client.get(reverse("dashboard:cockpit")).content.decode()

    assert reverse("dashboard:hotspot", args=[hotspot.pk]) in page
    assert hotspot.label in page
    assert "1 · 0 · 1 · 10" in page
    assert "<polyline" in page


def test_the_leader_reads_the_hotspot_with_contacts_masked_and_no_steps(
    world, rising, login
):
    hotspot, planted = rising
    page = login(world.leader).get(reverse("dashboard:hotspot", args=[hotspot.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert planted[0].tracking_no in text
    assert "make_deed" not in text
    assert "13812345678" not in text


def test_the_office_reads_the_hotspot_with_its_steps(world, rising, login):
    hotspot, planted = rising
    page = login(world.clerk).get(reverse("dashboard:hotspot", args=[hotspot.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "make_deed" in text and "make_problem" in text
    assert all(d.tracking_no in text for d in planted)
    # filled in, the step is one click: the date input takes an ISO date only
    assert 'name="deadline" value="2007-12-31"' in text


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "staff_a", "outsider"])
def test_units_and_outsiders_are_refused_the_hotspot(world, rising, login, who):
    hotspot, _planted = rising
    client = login(getattr(world, who))
    # no admin access at all: Wagtail sends the person to its sign-in page
    refused = 302 if who == "outsider" else 403

    page = client.get(reverse("dashboard:hotspot", args=[hotspot.pk]))
    posted = post_deed(client, hotspot, world.unit_a)

    assert page.status_code == posted.status_code == refused
    assert not PracticalDeed.objects.exists()


def test_another_campaigns_office_is_refused_the_hotspot(
    world, other_world, rising, login
):
    hotspot, _planted = rising
    client = login(other_world.director)

    assert (
        client.get(reverse("dashboard:hotspot", args=[hotspot.pk])).status_code == 403
    )


def test_the_leader_may_not_make_it_a_deed_or_problem(world, rising, login):
    hotspot, _planted = rising
    client = login(world.leader)

    deed = post_deed(client, hotspot, world.unit_a)
    problem = client.post(
        reverse("dashboard:hotspot_problem", args=[hotspot.pk]),
        {"unit": world.unit_a.pk, "severity": "general", "description": "x"},
    )

    assert deed.status_code == problem.status_code == 403
    assert not PracticalDeed.objects.exists() and not Problem.objects.exists()


def test_the_office_makes_it_a_deed_whose_page_lists_its_demands(world, rising, login):
    hotspot, planted = rising
    client = login(world.director)

    answer = post_deed(client, hotspot, world.unit_b)

    deed = PracticalDeed.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("ledgers_admin:deed", args=[deed.pk])
    page = client.get(answer["Location"]).content.decode()
    assert all(d.tracking_no in page for d in planted)
    demand_page = client.get(
        reverse("demands_office:detail", args=[planted[0].pk])
    ).content.decode()
    assert reverse("ledgers_admin:deed", args=[deed.pk]) in demand_page
    # the hotspot now names what it became, and offers no second step
    again = client.get(reverse("dashboard:hotspot", args=[hotspot.pk])).content.decode()
    assert reverse("ledgers_admin:deed", args=[deed.pk]) in again
    assert "make_deed" not in again


def test_refused_input_shows_the_form_again(world, rising, login):
    hotspot, _planted = rising
    client = login(world.director)
    data = deed_post(hotspot, world.unit_b) | {"deadline": "2030-01-01"}

    answer = client.post(reverse("dashboard:hotspot_deed", args=[hotspot.pk]), data)

    assert answer.status_code == 400
    assert not PracticalDeed.objects.exists()
