import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from campaigns.models import Decision, Meeting
from conftest import World
from ledgers.models import (
    DeadlineNotice,
    DeadlineNoticeKind,
    NoticeSubject,
    PracticalDeed,
    RectificationMeasure,
)
from ledgers.sweeps import deadline_card, sweep
from ledgers.tests.conftest import finish
from notify.models import Notification

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_the_measure_owner_is_told_once_when_near_and_once_when_passed(
    world: World, measure: RectificationMeasure, django_capture_on_commit_callbacks: Any
) -> None:
    # the deadline is Thursday 2007-05-10
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(at(datetime.date(2007, 5, 4))).near == 0  # holiday week: too far
        first = sweep(at(datetime.date(2007, 5, 9)))
        again = sweep(at(datetime.date(2007, 5, 9)))
    assert (first.near, again.near) == (1, 0)
    told = Notification.objects.filter(recipient=world.staff_a)
    assert told.count() == 1
    # in the owner's language: the site's default, zh-Hans
    with translation.override("zh-hans"):
        near = gettext("The deadline of “{label}” is near: {deadline}.")
    assert (
        near.split("{label}")[0]
        and near != "The deadline of “{label}” is near: {deadline}."
    )
    assert told.get().message.startswith(near.split("{label}")[0])
    with django_capture_on_commit_callbacks(execute=True):
        passed = sweep(at(datetime.date(2007, 5, 11)))
        assert sweep(at(datetime.date(2007, 5, 14))).passed == 0
    assert passed.passed == 1
    assert told.count() == 2
    assert set(DeadlineNotice.objects.values_list("subject", "subject_id", "kind")) == {
        (NoticeSubject.MEASURE, measure.pk, DeadlineNoticeKind.NEAR),
        (NoticeSubject.MEASURE, measure.pk, DeadlineNoticeKind.PASSED),
    }


def test_a_finished_measure_is_not_chased(
    world: World, measure: RectificationMeasure
) -> None:
    finish(world, measure)
    assert sweep(at(datetime.date(2007, 5, 11))).passed == 0
    assert not DeadlineNotice.objects.exists()


def test_a_later_deadline_gets_notices_of_its_own(
    world: World, measure: RectificationMeasure
) -> None:
    sweep(at(datetime.date(2007, 5, 11)))
    RectificationMeasure.objects.filter(pk=measure.pk).update(
        deadline=datetime.date(2007, 5, 15)
    )
    result = sweep(at(datetime.date(2007, 5, 16)))
    assert result.passed == 1
    assert DeadlineNotice.objects.filter(kind=DeadlineNoticeKind.PASSED).count() == 2


def test_deed_unit_heads_and_decision_owners_are_told(
    world: World, deed: PracticalDeed, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = Meeting.objects.create(
        campaign=world.campaign,
        title="研究部署會議",
        held_on=datetime.date(2007, 3, 27),
        place="會議室",
        host=world.director,
    )
    Decision.objects.create(
        meeting=meeting,
        text="各單位報送方案",
        owner_unit=world.unit_a,
        deadline=datetime.date(2007, 6, 29),
    )
    Decision.objects.create(
        meeting=meeting,
        text="辦公室匯總",
        owner_person=world.clerk,
        deadline=datetime.date(2007, 6, 29),
        status="done",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(at(datetime.date(2007, 7, 2)))
    assert result.passed == 2  # the deed and the open decision
    assert Notification.objects.filter(recipient=world.head_a).count() == 2
    assert Notification.objects.filter(recipient=world.liaison_a).count() == 2
    assert not Notification.objects.filter(recipient=world.clerk).exists()
    assert not Notification.objects.filter(recipient=world.staff_a).exists()


def test_the_command_reports_and_is_idempotent(
    world: World, measure: RectificationMeasure
) -> None:
    out = StringIO()
    call_command("sweep_ledgers", stdout=out)
    call_command("sweep_ledgers", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "deadlines near: 0, deadlines passed: 1"
    assert lines[1] == "deadlines near: 0, deadlines passed: 0"


def test_the_card_counts_working_days_as_the_reminders_do() -> None:
    due = datetime.date(2007, 5, 10)  # a Thursday after the May Day holiday week
    assert deadline_card(due, at(datetime.date(2007, 5, 4))) == ""  # in the holidays
    assert deadline_card(due, at(datetime.date(2007, 5, 8))) == "yellow"  # 2 days
    assert deadline_card(due, at(due)) == "yellow"
    assert deadline_card(due, at(datetime.date(2007, 5, 11))) == "red"
    # eight calendar days ahead, but only two working days: the holidays lie between
    assert deadline_card(datetime.date(2007, 5, 8), at(datetime.date(2007, 4, 30))) == (
        "yellow"
    )
    assert deadline_card(None, at(due)) == ""
