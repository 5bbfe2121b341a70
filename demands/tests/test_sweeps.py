"""The sweeps that run by the clock: each is given the moment it runs for."""

import datetime
import io

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from demands import actions, sweeps
from demands.models import (
    Demand,
    DemandStatus,
    NoticeKind,
    Rating,
    ReminderNotice,
    ReturnVisit,
)
from demands.tests.factories import submit_test_demand
from notify.models import Notification
from text.script import to_simplified

D = datetime.date
# 30 September 2025 is the last working day before the National Day holiday (1-8
# October); 9 October is the first after it, 11 October a make-up Saturday.
EVE = D(2025, 9, 30)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted(world, *, phone: str = "13812345678") -> Demand:
    return submit_test_demand(world, submitter_phone=phone)


def dispatched(world, *, accept_due: datetime.datetime | None = None) -> Demand:
    demand = actions.dispatch_demand(
        submitted(world), world.unit_a, actor=world.director
    )
    Demand.objects.filter(pk=demand.pk).update(accept_due=accept_due or at(EVE))
    return Demand.objects.get(pk=demand.pk)


def replied(
    world, *, replied_at: datetime.datetime | None = None, **extra: str
) -> Demand:
    demand = actions.dispatch_demand(
        submitted(world, **extra), world.unit_a, actor=world.director
    )
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    demand = actions.reply_demand(
        demand, reply="已疏通。", solved=True, actor=world.liaison_a
    )
    Demand.objects.filter(pk=demand.pk).update(replied_at=replied_at or at(EVE))
    return Demand.objects.get(pk=demand.pk)


def recipients() -> set[str]:
    return set(Notification.objects.values_list("recipient__username", flat=True))


# -- closing unrated demands -----------------------------------------------------------


def test_a_reply_not_rated_within_the_window_closes_unrated(world):
    demand = replied(world, phone="", replied_at=at(D(2025, 9, 1)))
    assert sweeps.close_unrated_demands(at(D(2025, 9, 7))) == 0
    assert sweeps.close_unrated_demands(at(D(2025, 9, 8))) == 1
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    assert demand.rating == ""
    assert demand.closed_at == at(D(2025, 9, 8))


def test_the_rating_window_is_a_setting(world, settings):
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "RATING_WINDOW_DAYS": 2}
    replied(world, phone="", replied_at=at(D(2025, 9, 1)))
    assert sweeps.close_unrated_demands(at(D(2025, 9, 3))) == 1


def test_closing_unrated_twice_closes_nothing_more(world):
    replied(world, phone="", replied_at=at(D(2025, 9, 1)))
    assert sweeps.close_unrated_demands(at(D(2025, 9, 8))) == 1
    assert sweeps.close_unrated_demands(at(D(2025, 9, 9))) == 0
    entries = ModelLogEntry.objects.filter(action="sanfu.demand.close_unrated")
    assert entries.count() == 1


def test_a_rated_demand_is_not_closed_as_unrated(world):
    demand = replied(world, phone="", replied_at=at(D(2025, 9, 1)))
    actions.rate_demand(demand, rating=Rating.SATISFIED)
    assert sweeps.close_unrated_demands(at(D(2025, 9, 30))) == 0


def test_a_demand_with_a_phone_waits_for_its_return_visit(world):
    demand = replied(world, replied_at=at(EVE))
    assert sweeps.close_unrated_demands(at(D(2025, 10, 8))) == 0
    assert sweeps.schedule_return_visits(at(D(2025, 10, 9))) == 1
    visit = ReturnVisit.objects.get()
    actions.record_return_visit(
        visit, rating=Rating.UNKNOWN, note="無人接聽", actor=world.clerk
    )
    assert sweeps.close_unrated_demands(at(D(2025, 10, 9))) == 1
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED


# -- reminder notices and circulars ----------------------------------------------------


def test_no_reminder_before_the_working_day_after_the_missed_deadline(world):
    dispatched(world, accept_due=at(EVE))
    # the whole holiday passes without a working day after the deadline
    assert sweeps.issue_notices(at(D(2025, 10, 8), 23), NoticeKind.REMINDER) == 0
    assert not ReminderNotice.objects.exists()


def test_a_reminder_is_issued_on_the_working_day_after_a_missed_deadline(world):
    demand = dispatched(world, accept_due=at(EVE))
    Notification.objects.all().delete()
    assert sweeps.issue_notices(at(D(2025, 10, 9), 8), NoticeKind.REMINDER) == 1
    notice = ReminderNotice.objects.get()
    assert (notice.demand, notice.kind, notice.unit) == (
        demand,
        NoticeKind.REMINDER,
        world.unit_a,
    )
    assert notice.deadline == at(EVE)
    assert notice.file.name.endswith(".docx")


def test_a_reminder_notifies_the_units_head_and_liaison_only(
    world, django_capture_on_commit_callbacks
):
    dispatched(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.issue_notices(at(D(2025, 10, 9)), NoticeKind.REMINDER)
    assert recipients() == {world.head_a.username, world.liaison_a.username}


def test_the_reminder_document_names_the_unit_and_the_tracking_number(world):
    demand = dispatched(world)
    sweeps.issue_notices(at(D(2025, 10, 9)), NoticeKind.REMINDER)
    notice = ReminderNotice.objects.get()
    with notice.file.open("rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(
        cell.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    )
    # in the site's script, like every document the clock makes
    assert to_simplified(world.unit_a.name) in text
    assert demand.tracking_no and demand.tracking_no in text
    assert demand.tracking_no in cells
    assert "13812345678" not in text + cells
    assert "張三" not in text + cells


def test_issuing_notices_twice_issues_nothing_more(world):
    dispatched(world)
    now = at(D(2025, 10, 9))
    assert sweeps.issue_notices(now, NoticeKind.REMINDER) == 1
    assert sweeps.issue_notices(now, NoticeKind.REMINDER) == 0
    assert sweeps.issue_notices(at(D(2025, 10, 10)), NoticeKind.REMINDER) == 0
    assert ReminderNotice.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="sanfu.demand.notice").count() == 1


def test_a_demand_accepted_in_time_gets_no_reminder(world):
    demand = dispatched(world, accept_due=at(D(2025, 10, 9), 18))
    actions.accept_demand(demand, actor=world.liaison_a)
    assert sweeps.issue_notices(at(D(2025, 10, 10)), NoticeKind.REMINDER) == 0


def test_a_missed_reply_deadline_gets_its_own_reminder(world):
    demand = dispatched(world)
    sweeps.issue_notices(at(D(2025, 10, 9)), NoticeKind.REMINDER)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    Demand.objects.filter(pk=demand.pk).update(reply_due=at(D(2025, 10, 10)))
    assert sweeps.issue_notices(at(D(2025, 10, 11)), NoticeKind.REMINDER) == 1
    deadlines = set(ReminderNotice.objects.values_list("deadline", flat=True))
    assert deadlines == {at(EVE), at(D(2025, 10, 10))}


def test_a_circular_follows_five_working_days_after_the_reminder(world):
    dispatched(world)
    sweeps.issue_notices(at(D(2025, 10, 9)), NoticeKind.REMINDER)
    # 10, 11 (made-up Saturday), 13, 14, 15 October are the five working days
    assert sweeps.issue_notices(at(D(2025, 10, 14), 23), NoticeKind.CIRCULAR) == 0
    assert sweeps.issue_notices(at(D(2025, 10, 15), 8), NoticeKind.CIRCULAR) == 1
    assert sweeps.issue_notices(at(D(2025, 10, 16)), NoticeKind.CIRCULAR) == 0


def test_a_circular_notifies_the_office_and_the_unit_and_names_the_unit(
    world, django_capture_on_commit_callbacks
):
    demand = dispatched(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.issue_notices(at(D(2025, 10, 15)), NoticeKind.CIRCULAR)
    assert recipients() == {
        world.director.username,
        world.clerk.username,
        world.head_a.username,
        world.liaison_a.username,
    }
    notice = ReminderNotice.objects.get(kind=NoticeKind.CIRCULAR)
    with notice.file.open("rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert demand.tracking_no and demand.tracking_no in text
    assert to_simplified(world.unit_a.name) in text


def test_a_demand_accepted_after_its_reminder_gets_no_circular(world):
    demand = dispatched(world)
    sweeps.issue_notices(at(D(2025, 10, 9)), NoticeKind.REMINDER)
    actions.accept_demand(demand, actor=world.liaison_a)
    assert sweeps.issue_notices(at(D(2025, 10, 15)), NoticeKind.CIRCULAR) == 0


def test_an_extension_gives_the_new_deadline_its_own_notices(world):
    demand = dispatched(world)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    Demand.objects.filter(pk=demand.pk).update(reply_due=at(EVE))
    sweeps.issue_notices(at(D(2025, 10, 9)), NoticeKind.REMINDER)
    extension = actions.request_extension(
        demand, days=2, reason="需協調", actor=world.liaison_a
    )
    actions.decide_extension(extension, approve=True, actor=world.director)
    demand.refresh_from_db()
    assert demand.reply_due == at(D(2025, 10, 10))
    assert sweeps.issue_notices(at(D(2025, 10, 10), 9), NoticeKind.REMINDER) == 0
    assert sweeps.issue_notices(at(D(2025, 10, 11), 9), NoticeKind.REMINDER) == 1


def test_the_notice_action_refuses_a_demand_not_yet_late(world):
    demand = dispatched(world, accept_due=at(D(2025, 10, 9)))
    assert actions.issue_notice(demand, kind=NoticeKind.REMINDER, now=at(EVE)) is None


# -- return visits ---------------------------------------------------------------------


def test_a_return_visit_is_due_the_working_day_after_the_reply(world):
    demand = replied(world, replied_at=at(EVE, 16))
    assert sweeps.schedule_return_visits(at(D(2025, 10, 8), 23)) == 0
    assert sweeps.schedule_return_visits(at(D(2025, 10, 9), 7)) == 1
    visit = ReturnVisit.objects.get()
    assert (visit.demand, visit.due_on, visit.done_at) == (demand, D(2025, 10, 9), None)
    assert list(ReturnVisit.objects.pending()) == [visit]


def test_return_visits_are_scheduled_once(world):
    replied(world)
    assert sweeps.schedule_return_visits(at(D(2025, 10, 9))) == 1
    assert sweeps.schedule_return_visits(at(D(2025, 10, 10))) == 0
    assert ReturnVisit.objects.count() == 1


def test_no_return_visit_without_a_phone_number(world):
    replied(world, phone="")
    assert sweeps.schedule_return_visits(at(D(2025, 10, 9))) == 0


def test_no_return_visit_for_a_demand_already_rated(world):
    demand = replied(world)
    actions.rate_demand(demand, rating=Rating.SATISFIED)
    assert sweeps.schedule_return_visits(at(D(2025, 10, 9))) == 0


def test_a_return_visit_task_notifies_the_office(
    world, django_capture_on_commit_callbacks
):
    replied(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.schedule_return_visits(at(D(2025, 10, 9)))
    assert recipients() == {world.director.username, world.clerk.username}


def test_recording_a_return_visit_rates_the_demand_for_the_submitter(world):
    demand = replied(world)
    sweeps.schedule_return_visits(at(D(2025, 10, 9)))
    visit = actions.record_return_visit(
        ReturnVisit.objects.get(), rating=Rating.SATISFIED, note="", actor=world.clerk
    )
    demand.refresh_from_db()
    assert (demand.status, demand.rating) == (DemandStatus.CLOSED, Rating.SATISFIED)
    assert (visit.by, visit.rating) == (world.clerk, Rating.SATISFIED)
    assert visit.done_at is not None
    assert not ReturnVisit.objects.pending().exists()


def test_an_unsatisfied_return_visit_reopens_and_the_second_reply_gets_a_new_visit(
    world,
):
    demand = replied(world)
    sweeps.schedule_return_visits(at(D(2025, 10, 9)))
    actions.record_return_visit(
        ReturnVisit.objects.get(), rating=Rating.UNSATISFIED, actor=world.clerk
    )
    demand.refresh_from_db()
    assert demand.status == DemandStatus.REOPENED
    actions.reply_demand(demand, reply="再次處理", solved=True, actor=world.liaison_a)
    Demand.objects.filter(pk=demand.pk).update(replied_at=at(D(2025, 10, 10)))
    assert sweeps.schedule_return_visits(at(D(2025, 10, 11))) == 1
    assert ReturnVisit.objects.filter(demand=demand).count() == 2


def test_a_return_visit_is_recorded_once(world):
    from core.errors import Conflict

    replied(world)
    sweeps.schedule_return_visits(at(D(2025, 10, 9)))
    visit = ReturnVisit.objects.get()
    actions.record_return_visit(visit, rating=Rating.UNKNOWN, actor=world.clerk)
    with pytest.raises(Conflict):
        actions.record_return_visit(visit, rating=Rating.SATISFIED, actor=world.clerk)


@pytest.mark.parametrize("persona", ["liaison_a", "head_a", "leader", "outsider"])
def test_only_the_office_records_a_return_visit(world, persona):
    from django.core.exceptions import PermissionDenied

    replied(world)
    sweeps.schedule_return_visits(at(D(2025, 10, 9)))
    with pytest.raises(PermissionDenied):
        actions.record_return_visit(
            ReturnVisit.objects.get(),
            rating=Rating.SATISFIED,
            actor=getattr(world, persona),
        )
    assert ReturnVisit.objects.pending().count() == 1


# -- the whole sweep and its command ---------------------------------------------------


def test_the_sweep_runs_every_part_and_a_second_run_creates_nothing(world):
    dispatched(world)
    replied(world)
    replied(world, phone="", replied_at=at(D(2025, 9, 1)))
    now = at(D(2025, 10, 15))
    first = sweeps.sweep(now)
    assert first == sweeps.SweepResult(
        closed_unrated=1, reminders=1, circulars=1, return_visits=1
    )
    counts = (
        ReminderNotice.objects.count(),
        ReturnVisit.objects.count(),
        Notification.objects.count(),
        ModelLogEntry.objects.count(),
    )
    assert sweeps.sweep(now) == sweeps.SweepResult()
    assert sweeps.sweep(now + datetime.timedelta(hours=1)) == sweeps.SweepResult()
    assert counts == (
        ReminderNotice.objects.count(),
        ReturnVisit.objects.count(),
        Notification.objects.count(),
        ModelLogEntry.objects.count(),
    )


def test_the_command_sweeps_now(world, capsys):
    replied(world, phone="", replied_at=timezone.now() - datetime.timedelta(days=30))
    call_command("sweep_demands")
    assert "closed unrated: 1" in capsys.readouterr().out
    assert Demand.objects.get().status == DemandStatus.CLOSED


def test_on_the_demos_fast_clock_the_reminder_follows_minutes_after_dispatch(
    world, settings, django_capture_on_commit_callbacks
):
    """`make run` runs the demo on a fast clock: a demand dispatched and not
    accepted within the demo's minutes gets the sweep's reminder in the unit's
    inbox at the clock's next round (the real rules wait for a working day after
    a missed working-day deadline)."""
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "DEMO_ACCEPT_MINUTES": 2}
    with django_capture_on_commit_callbacks(execute=True):
        demand = actions.dispatch_demand(
            submitted(world), world.unit_a, actor=world.director
        )
    sent = demand.dispatched_at
    assert sent is not None
    assert demand.accept_due == sent + datetime.timedelta(minutes=2)
    Notification.objects.all().delete()
    minute = datetime.timedelta(minutes=1)
    assert sweeps.sweep(sent + minute).reminders == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.sweep(sent + 3 * minute).reminders == 1
    assert demand.notices.filter(kind=NoticeKind.REMINDER).count() == 1
    assert recipients() == {world.head_a.username, world.liaison_a.username}
    # the circular still waits its working days
    assert sweeps.sweep(sent + 10 * minute).circulars == 0


def test_off_the_demo_a_dispatch_gets_no_reminder_within_minutes(world, settings):
    settings.SANFU_DEMANDS = {**settings.SANFU_DEMANDS, "DEMO_ACCEPT_MINUTES": 0}
    demand = actions.dispatch_demand(
        submitted(world), world.unit_a, actor=world.director
    )
    sent, due = demand.dispatched_at, demand.accept_due
    assert sent is not None and due is not None
    assert due - sent > datetime.timedelta(hours=12)
    later = sent + datetime.timedelta(minutes=10)
    assert sweeps.sweep(later).reminders == 0
