import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from core.errors import Conflict
from demands.models import Demand, DemandStatus, Rating
from demands.tests.factories import submit_test_demand
from ledgers.actions.problems import (
    add_measure,
    apply_for_closure,
    confirm_measure,
    report_progress,
    return_problem,
    verify_problem,
)
from ledgers.models import (
    EvidenceKind,
    Problem,
    ProblemSource,
    ProblemStatus,
    RectificationMeasure,
)
from ledgers.tests.conftest import finish, make_measure, make_problem, png
from notify.models import Notification

pytestmark = pytest.mark.django_db


def _to_confirmed(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    confirm_measure(measure, actor=world.head_a)


def test_a_problem_walks_to_closure(
    world: World,
    problem: Problem,
    measure: RectificationMeasure,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report_progress(
        measure,
        percent=40,
        note="已調整排班",
        evidence=[(EvidenceKind.BEFORE, png("before.png"))],
        actor=world.staff_a,
    )
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.APPLIED
    confirm_measure(measure, actor=world.head_a)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        verify_problem(problem, actor=world.clerk)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert problem.closed_by == world.clerk
    assert Notification.objects.filter(recipient=world.liaison_a).exists()


def test_a_closure_without_evidence_is_refused(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    report_progress(measure, percent=100, actor=world.staff_a)
    with pytest.raises(ValidationError, match="no evidence"):
        apply_for_closure(problem, actor=world.liaison_a)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_a_closure_with_an_unfinished_measure_is_refused(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    report_progress(measure, percent=60, actor=world.staff_a)
    with pytest.raises(ValidationError, match="60%"):
        apply_for_closure(problem, actor=world.liaison_a)


def test_a_closure_without_measures_is_refused(world: World, problem: Problem) -> None:
    with pytest.raises(ValidationError, match="at least one measure"):
        apply_for_closure(problem, actor=world.liaison_a)


def test_progress_below_the_last_report_is_refused(
    world: World, measure: RectificationMeasure
) -> None:
    report_progress(measure, percent=50, actor=world.staff_a)
    with pytest.raises(ValidationError) as refused:
        report_progress(measure, percent=30, actor=world.staff_a)
    assert "last report was 50%" in str(refused.value.message_dict["percent"])
    measure.refresh_from_db()
    assert measure.progress == 50


def test_a_measure_without_an_owner_is_refused(world: World, problem: Problem) -> None:
    with pytest.raises(ValidationError) as refused:
        add_measure(
            problem,
            description="整改",
            owner=None,
            reviewer=world.head_a,
            deadline=datetime.date(2007, 5, 1),
            actor=world.liaison_a,
        )
    assert "responsible person" in refused.value.message_dict["owner"][0]


def test_a_deadline_outside_the_campaign_is_refused(
    world: World, problem: Problem
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_measure(
            problem,
            description="整改",
            owner=world.staff_a,
            reviewer=world.head_a,
            deadline=datetime.date(2008, 1, 5),
            actor=world.liaison_a,
        )
    assert "outside the campaign's period" in refused.value.message_dict["deadline"][0]


def test_only_the_reviewer_confirms(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    finish(world, measure)
    apply_for_closure(problem, actor=world.liaison_a)
    for person in (world.liaison_a, world.clerk, world.staff_a):
        with pytest.raises(PermissionDenied):
            confirm_measure(measure, actor=person)


def test_only_the_office_of_the_campaign_verifies(
    world: World,
    other_world: World,
    problem: Problem,
    measure: RectificationMeasure,
) -> None:
    _to_confirmed(world, problem, measure)
    for person in (world.liaison_a, world.head_a, world.leader, other_world.director):
        with pytest.raises(PermissionDenied):
            verify_problem(problem, actor=person)
    verify_problem(problem, actor=world.director)


def test_the_office_sends_a_closure_back_with_a_reason(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    _to_confirmed(world, problem, measure)
    with pytest.raises(ValidationError):
        return_problem(problem, reason=" ", actor=world.clerk)
    return_problem(problem, reason="證據不足", actor=world.clerk)
    problem.refresh_from_db()
    measure.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN
    assert problem.return_reason == "證據不足"
    assert measure.confirmed_at is None
    with pytest.raises(Conflict):
        verify_problem(problem, actor=world.clerk)


def test_a_second_verification_is_a_conflict(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    _to_confirmed(world, problem, measure)
    verify_problem(problem, actor=world.clerk)
    with pytest.raises(Conflict):
        verify_problem(problem, actor=world.director)


def test_another_unit_cannot_record_or_change_a_problem(
    world: World, problem: Problem, measure: RectificationMeasure
) -> None:
    with pytest.raises(PermissionDenied):
        make_problem(world, actor=world.liaison_b)
    with pytest.raises(PermissionDenied):
        add_measure(
            problem,
            description="x",
            owner=world.staff_a,
            reviewer=world.head_a,
            deadline=datetime.date(2007, 5, 1),
            actor=world.liaison_b,
        )
    with pytest.raises(PermissionDenied):
        report_progress(measure, percent=10, actor=world.liaison_b)
    with pytest.raises(PermissionDenied):
        apply_for_closure(problem, actor=world.liaison_b)


@pytest.mark.parametrize(
    ("status", "rating", "closes"),
    [
        (DemandStatus.CLOSED, Rating.SATISFIED, True),
        (DemandStatus.CLOSED, Rating.UNSATISFIED, False),
        (DemandStatus.REOPENED, "", False),
    ],
)
def test_a_problem_from_an_unsatisfied_demand_stays_open(
    world: World, status: str, rating: str, closes: bool
) -> None:
    demand = submit_test_demand(world)
    Demand.objects.filter(pk=demand.pk).update(
        unit=world.unit_a, status=status, rating=rating
    )
    demand.refresh_from_db()
    problem = make_problem(world, source=ProblemSource.DEMAND, demand=demand)
    measure = make_measure(world, problem)
    _to_confirmed(world, problem, measure)
    if closes:
        verify_problem(problem, actor=world.clerk)
    else:
        with pytest.raises(ValidationError, match="unsatisfied"):
            verify_problem(problem, actor=world.clerk)
    problem.refresh_from_db()
    assert (problem.status == ProblemStatus.CLOSED) is closes
