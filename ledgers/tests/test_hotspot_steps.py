"""The office makes a hotspot a practical deed or a problem in one step, linked to
every demand in it; nobody else may, and nobody twice."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from core.errors import Conflict
from demands.hotspots import actions as hotspots
from demands.models import Hotspot
from demands.tests.hotspot_data import TODAY, four_weeks
from ledgers.actions.hotspots import deed_from_hotspot, problem_from_hotspot
from ledgers.models import DeedClass, PracticalDeed, Problem, Severity
from ledgers.trace import trace
from notify.models import Notification

LEAKS = "天河南二路供水管網老化，反覆爆管"


@pytest.fixture
def rising(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        planted = four_weeks(world)
        hotspots.find_weekly()
    hotspot = Hotspot.objects.get(rising=True)
    return hotspot, planted


def make_deed(hotspot, unit, actor):  # type: ignore[no-untyped-def]
    return deed_from_hotspot(
        hotspot,
        unit,
        title="搶修天河南二路水管",
        deed_class=DeedClass.IMMEDIATE,
        beneficiaries="天河南街道居民",
        target="一週內修復並回覆每位訴求人",
        deadline=world_deadline(hotspot),
        actor=actor,
    )


def make_problem(hotspot, unit, actor):  # type: ignore[no-untyped-def]
    return problem_from_hotspot(
        hotspot, unit, description=LEAKS, severity=Severity.SERIOUS, actor=actor
    )


def world_deadline(hotspot):  # type: ignore[no-untyped-def]
    return hotspot.run.campaign.ends_on - datetime.timedelta(days=1)


def test_the_office_makes_a_hotspot_a_deed_linked_to_every_demand(world, rising):
    hotspot, planted = rising

    deed = make_deed(hotspot, world.unit_b, world.director)

    assert deed.hotspot == hotspot
    assert deed.unit == world.unit_b
    assert set(deed.demands.values_list("pk", flat=True)) == {d.pk for d in planted}
    entry = ModelLogEntry.objects.get(action="sanfu.deed.from_hotspot")
    assert entry.data["demands"] == len(planted)
    # each demand's trace shows the deed
    steps = trace(planted[0], world.director)
    deeds = [child for child in steps[0].children if child.label == deed.title]
    assert deeds and deeds[0].url.endswith(f"/deeds/{deed.pk}/")


def test_the_office_makes_a_hotspot_a_problem_linked_to_every_demand(world, rising):
    hotspot, planted = rising

    problem = make_problem(hotspot, world.unit_a, world.clerk)

    assert problem.hotspot == hotspot
    assert set(problem.demands.values_list("pk", flat=True)) == {d.pk for d in planted}
    assert ModelLogEntry.objects.filter(action="sanfu.problem.from_hotspot").exists()
    steps = trace(planted[-1], world.clerk)
    assert any(child.label == problem.description for child in steps[0].children)


@pytest.mark.parametrize(
    ("made", "unit", "told", "untold"),
    [
        ("deed", "unit_b", "liaison_b", "liaison_a"),
        ("problem", "unit_a", "liaison_a", "liaison_b"),
    ],
)
def test_the_unit_is_told_of_what_the_hotspot_became_with_a_link_to_it(
    world, rising, django_capture_on_commit_callbacks, made, unit, told, untold
):
    hotspot, _planted = rising
    make = make_deed if made == "deed" else make_problem

    with django_capture_on_commit_callbacks(execute=True):
        row = make(hotspot, getattr(world, unit), world.director)

    notice = Notification.objects.get(recipient=getattr(world, told))
    assert notice.link == reverse(f"ledgers_admin:{made}", args=[row.pk])
    assert not Notification.objects.filter(recipient=getattr(world, untold)).exists()


@pytest.mark.parametrize("who", ["leader", "liaison_a", "head_a", "outsider"])
def test_only_the_office_may_make_a_hotspot_a_deed_or_problem(world, rising, who):
    hotspot, _planted = rising
    actor = getattr(world, who)

    with pytest.raises(PermissionDenied):
        make_deed(hotspot, world.unit_a, actor)
    with pytest.raises(PermissionDenied):
        problem_from_hotspot(
            hotspot, world.unit_a, description="x", severity="general", actor=actor
        )
    assert not PracticalDeed.objects.exists()
    assert not Problem.objects.exists()


def test_another_campaigns_office_is_refused(world, other_world, rising):
    hotspot, _planted = rising

    with pytest.raises(PermissionDenied):
        make_deed(hotspot, world.unit_a, other_world.director)


def test_a_hotspot_is_made_a_deed_or_problem_once(world, rising):
    hotspot, _planted = rising
    make_deed(hotspot, world.unit_b, world.director)

    with pytest.raises(Conflict):
        problem_from_hotspot(
            hotspot,
            world.unit_a,
            description="x",
            severity="general",
            actor=world.clerk,
        )
    assert PracticalDeed.objects.count() == 1
    assert not Problem.objects.exists()


def test_a_deed_in_stages_is_not_made_in_one_step(world, rising):
    from django.core.exceptions import ValidationError

    hotspot, _planted = rising
    with pytest.raises(ValidationError):
        deed_from_hotspot(
            hotspot,
            world.unit_b,
            title="分步辦",
            deed_class=DeedClass.STAGED,
            beneficiaries="居民",
            target="修復",
            deadline=world_deadline(hotspot),
            actor=world.director,
        )
    assert not PracticalDeed.objects.exists()
