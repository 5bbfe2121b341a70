"""The demo's plans: the meeting of 2007-03-27 carries its decisions as action items,
the work plan has one approved version, and the schedule has milestones per phase."""

import datetime

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Decision
from campaigns.progress import action_items_overdue
from plans.models import PlanStatus
from plans.progress import milestone_progress

pytestmark = pytest.mark.django_db


def test_the_demo_meeting_has_its_decisions_and_the_plan_is_approved():
    call_command("load_demo", stdout=None)
    campaign = Campaign.objects.get(slug="sanfu-2007")
    meeting = campaign.meetings.get(held_on=datetime.date(2007, 3, 27))
    decisions = list(meeting.decisions.all())
    assert [d.text[:4] for d in decisions] == ["按會上說", "按職責分", "按工作計"]
    assert all(d.is_demo and d.text.endswith("（演示）") for d in decisions)
    [approved] = campaign.work_plan_versions.filter(status=PlanStatus.APPROVED)
    assert approved.number == 1
    progress = milestone_progress(campaign, datetime.date(2007, 4, 10))
    assert [(total, overdue) for _phase, _done, total, overdue in progress] == [
        (2, 1),
        (2, 0),
        (1, 0),
    ]
    assert action_items_overdue(campaign, datetime.date(2007, 4, 10)).count() == 1
    assert Decision.objects.filter(meeting=meeting, status="open").count() == 3
