"""A unit plan's lifecycle: a unit drafts and submits its own plan; the office
approves it or returns it with comments."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from campaigns.tests.factories import MainTaskFactory
from core.errors import Conflict
from notify.models import Notification
from plans import actions as plan_actions
from plans.models import Measure, PlanStatus, UnitPlan

pytestmark = pytest.mark.django_db


def measure_of(plan, task, actor, **changes):
    values = {
        "main_task": task,
        "content": "走訪基層單位",
        "owner": "張三",
        "deadline": datetime.date(2007, 6, 30),
    }
    return plan_actions.add_measure(plan, actor=actor, **(values | changes))


def test_a_liaison_submits_the_office_returns_and_then_approves(
    world, plan_a, task, django_capture_on_commit_callbacks
):
    measure_of(plan_a, task, world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        plan_actions.submit_unit_plan(plan_a, actor=world.liaison_a)
    assert Notification.objects.filter(recipient=world.clerk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        plan_actions.return_unit_plan(plan_a, comment="措施要具體", actor=world.clerk)
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.RETURNED
    assert plan_a.return_comment == "措施要具體"
    assert Notification.objects.filter(recipient=world.liaison_a).count() == 1
    measure_of(plan_a, task, world.liaison_a, content="每月走訪一次")
    plan_actions.submit_unit_plan(plan_a, actor=world.liaison_a)
    plan_actions.approve_unit_plan(plan_a, actor=world.director)
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.APPROVED
    assert plan_a.decided_by == world.director
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(plan_a.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "sanfu.unitplan.start",
        "sanfu.unitplan.measure",
        "sanfu.unitplan.submit",
        "sanfu.unitplan.return",
        "sanfu.unitplan.measure",
        "sanfu.unitplan.submit",
        "sanfu.unitplan.approve",
    ]


def test_returning_without_a_comment_is_refused_and_changes_nothing(
    world, submitted_plan
):
    with pytest.raises(ValidationError) as refused:
        plan_actions.return_unit_plan(submitted_plan, comment="  ", actor=world.clerk)
    assert "comment" in refused.value.error_dict
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.SUBMITTED


def test_a_plan_without_measures_cannot_be_submitted(world, plan_a):
    with pytest.raises(ValidationError) as refused:
        plan_actions.submit_unit_plan(plan_a, actor=world.liaison_a)
    assert "measures" in refused.value.error_dict


def test_a_measure_without_an_owner_is_refused(world, plan_a, task):
    with pytest.raises(ValidationError) as refused:
        measure_of(plan_a, task, world.liaison_a, owner=" ")
    assert "owner" in refused.value.error_dict
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    "deadline", [datetime.date(2007, 3, 26), datetime.date(2008, 1, 1)]
)
def test_a_measure_due_outside_the_campaign_is_refused(world, plan_a, task, deadline):
    with pytest.raises(ValidationError) as refused:
        measure_of(plan_a, task, world.liaison_a, deadline=deadline)
    assert "deadline" in refused.value.error_dict
    assert not Measure.objects.exists()


def test_a_measure_cannot_name_another_campaigns_task(world, other_world, plan_a):
    foreign = MainTaskFactory.create(campaign=other_world.campaign)
    with pytest.raises(ValidationError) as refused:
        measure_of(plan_a, foreign, world.liaison_a)
    assert "main_task" in refused.value.error_dict


@pytest.mark.parametrize("who", ["liaison_b", "staff_a", "clerk", "director"])
def test_only_the_units_head_or_liaison_edits_its_plan(world, plan_a, task, who):
    with pytest.raises(PermissionDenied):
        measure_of(plan_a, task, getattr(world, who))


def test_the_head_may_edit_the_units_plan(world, plan_a):
    plan_actions.edit_unit_plan(
        plan_a, title="甲處方案（修訂）", summary="", actor=world.head_a
    )
    plan_a.refresh_from_db()
    assert plan_a.title == "甲處方案（修訂）"


def test_a_submitted_plan_cannot_be_edited(world, submitted_plan, task):
    with pytest.raises(Conflict):
        measure_of(submitted_plan, task, world.liaison_a)
    with pytest.raises(Conflict):
        plan_actions.remove_measure(
            submitted_plan.measures.get(), actor=world.liaison_a
        )


@pytest.mark.parametrize("who", ["liaison_a", "leader", "editor"])
def test_only_the_office_decides_on_a_plan(world, submitted_plan, who):
    with pytest.raises(PermissionDenied):
        plan_actions.approve_unit_plan(submitted_plan, actor=getattr(world, who))


def test_another_campaigns_office_cannot_decide(world, other_world, submitted_plan):
    with pytest.raises(PermissionDenied):
        plan_actions.approve_unit_plan(submitted_plan, actor=other_world.director)


def test_a_decision_that_lost_the_race_is_refused(world, submitted_plan):
    stale = UnitPlan.objects.get(pk=submitted_plan.pk)
    plan_actions.approve_unit_plan(submitted_plan, actor=world.clerk)
    with pytest.raises(Conflict):
        plan_actions.return_unit_plan(stale, comment="再改改", actor=world.director)
    stale.refresh_from_db()
    assert stale.status == PlanStatus.APPROVED


def test_a_unit_has_one_plan_per_campaign(world, plan_a):
    with pytest.raises(ValidationError):
        plan_actions.start_unit_plan(
            world.campaign, world.unit_a, title="第二份", actor=world.liaison_a
        )


def test_a_unit_cannot_start_a_plan_in_another_organisations_campaign(
    world, other_world
):
    with pytest.raises(ValidationError):
        plan_actions.start_unit_plan(
            other_world.campaign, world.unit_a, title="越界", actor=world.liaison_a
        )
