import datetime
from typing import Any

import pytest

from conftest import World
from ledgers import metrics
from ledgers.actions.deeds import report_deed_progress, verify_deed
from ledgers.models import PracticalDeed, RectificationMeasure
from ledgers.tests.conftest import make_deed, make_measure, make_problem

pytestmark = pytest.mark.django_db

START, END = datetime.date(2007, 4, 1), datetime.date(2007, 6, 30)


def test_on_time_rectification_counts_measures_due_in_the_period(
    world: World, django_assert_num_queries: object
) -> None:
    problem = make_problem(world)
    on_time, late, _open, outside = (make_measure(world, problem) for _ in range(4))
    rows = RectificationMeasure.objects
    rows.filter(pk=on_time.pk).update(completed_on=datetime.date(2007, 5, 1))
    rows.filter(pk=late.pk).update(completed_on=datetime.date(2007, 6, 1))
    rows.filter(pk=outside.pk).update(deadline=datetime.date(2007, 8, 1))
    with django_assert_num_queries(1):  # type: ignore[operator]
        figures = metrics.on_time_rectification(world.campaign, START, END)
    assert figures == {world.unit_a.pk: (1, 3)}


def test_deeds_done_counts_verified_deeds_due_in_the_period(world: World) -> None:
    verified, pending = make_deed(world), make_deed(world)
    make_deed(world, deadline=datetime.date(2007, 9, 1))
    report_deed_progress(
        verified, percent=100, on=datetime.date(2007, 6, 1), actor=world.liaison_a
    )
    verify_deed(verified, actor=world.clerk)
    PracticalDeed.objects.filter(pk=pending.pk).update(progress=100)
    assert metrics.deeds_done(world.campaign, START, END) == {world.unit_a.pk: (1, 2)}
    # an open period (the evaluation's "whole campaign") counts the late one too
    assert metrics.deeds_done(world.campaign, None, None) == {world.unit_a.pk: (1, 3)}
    assert metrics.deeds_done(world.campaign, START, None) == {world.unit_a.pk: (1, 3)}


def test_the_demo_has_ledgers(db: None, settings: Any, tmp_path: Any) -> None:
    from django.core.management import call_command

    from ledgers.models import PracticalDeed, Problem, ProblemStatus, ResearchVisit

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=None)
    assert ResearchVisit.objects.filter(is_demo=True).exists()
    assert Problem.objects.filter(
        status=ProblemStatus.CLOSED, is_published=True
    ).exists()
    assert PracticalDeed.objects.filter(is_published=True).count() == 2
