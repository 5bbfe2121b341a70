"""Meeting decisions tracked as action items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import actions
from campaigns.models import ActionStatus, Decision
from campaigns.progress import action_items_overdue
from core.errors import Conflict

pytestmark = pytest.mark.django_db


def decide(world, meeting, deadline=datetime.date(2007, 4, 20), **owners):
    owners = owners or {"owner_unit": world.unit_a}
    return actions.record_decision(
        meeting,
        text="各單位報送實施方案",
        deadline=deadline,
        actor=world.clerk,
        **owners,
    )


def test_the_owner_unit_reports_it_done_with_a_note(world, meeting):
    item = decide(world, meeting)
    with pytest.raises(ValidationError) as refused:
        actions.complete_action_item(item, note=" ", actor=world.liaison_a)
    assert "note" in refused.value.error_dict
    actions.complete_action_item(item, note="已報送", actor=world.liaison_a)
    item.refresh_from_db()
    assert (item.status, item.done_note, item.done_by) == (
        ActionStatus.DONE,
        "已報送",
        world.liaison_a,
    )
    with pytest.raises(Conflict):
        actions.complete_action_item(item, note="再報", actor=world.clerk)


@pytest.mark.parametrize("who", ["liaison_b", "staff_a", "leader", "outsider"])
def test_others_cannot_report_it_done(world, meeting, who):
    item = decide(world, meeting)
    with pytest.raises(PermissionDenied):
        actions.complete_action_item(item, note="x", actor=getattr(world, who))


def test_a_deadline_outside_the_campaign_or_no_owner_is_refused(world, meeting):
    with pytest.raises(ValidationError) as refused:
        decide(world, meeting, deadline=datetime.date(2008, 1, 1))
    assert "deadline" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        actions.record_decision(
            meeting, text="x", deadline=datetime.date(2007, 4, 1), actor=world.clerk
        )
    assert "owner_unit" in refused.value.error_dict
    assert not Decision.objects.exists()


def test_overdue_items_are_the_open_ones_past_their_deadline(world, meeting):
    late = decide(world, meeting, deadline=datetime.date(2007, 4, 1))
    done = decide(world, meeting, deadline=datetime.date(2007, 4, 1))
    decide(world, meeting, deadline=datetime.date(2007, 5, 1))
    actions.complete_action_item(done, note="完成", actor=world.clerk)
    overdue = action_items_overdue(world.campaign, datetime.date(2007, 4, 10))
    assert list(overdue) == [late]
