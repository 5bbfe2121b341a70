"""What happens to demands by the clock, run every few minutes by
``manage.py sweep_demands``.

Each sweep takes the moment it runs for (``now``), picks the demands due for it with
one query and hands each to its action, which checks again under a row lock: running
twice, or two runs at once, do nothing the second time.
"""

import datetime
from dataclasses import dataclass
from itertools import chain

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.utils import timezone

from core.days import start_of_day
from core.errors import Conflict
from core.workdays import nth_workday_back
from demands import actions
from demands.deadlines import demo_minutes
from demands.models import (
    OPEN_STATUSES,
    Demand,
    DemandStatus,
    NoticeKind,
    ReminderNotice,
    ReturnVisit,
    Supervision,
)
from org.calendar import overrides


@dataclass(frozen=True)
class SweepResult:
    closed_unrated: int = 0
    reminders: int = 0
    circulars: int = 0
    return_visits: int = 0
    erased: int = 0
    duplicates_checked: int = 0
    escalations: int = 0


def _before_workdays(now: datetime.datetime, n: int) -> datetime.datetime:
    """The moment before which a date has had ``n`` working days after it by
    ``now``'s date: the start of the ``n``-th working day counting back."""
    return start_of_day(nth_workday_back(timezone.localdate(now), n, overrides()))


def sweep(now: datetime.datetime) -> SweepResult:
    return SweepResult(
        return_visits=schedule_return_visits(now),
        reminders=issue_notices(now, NoticeKind.REMINDER),
        circulars=issue_notices(now, NoticeKind.CIRCULAR),
        closed_unrated=close_unrated_demands(now),
        erased=erase_expired_personal_data(now),
        duplicates_checked=check_left_demands(now),
        escalations=escalate_supervisions(now),
    )


def escalate_supervisions(now: datetime.datetime) -> int:
    """Escalate the supervisions whose deadline passed with their demand open."""
    due = Supervision.objects.filter(
        escalated_at__isnull=True,
        ended_at__isnull=True,
        due_at__lt=now,
        demand__status__in=OPEN_STATUSES,
    ).order_by("pk")
    escalated = 0
    for supervision in due:
        if actions.escalate_supervision(supervision, now=now) is not None:
            escalated += 1
    return escalated


# A queued duplicate check runs seconds after the submissions it serves; a demand
# still unchecked this long after its filing lost its check (the queue failed).
CHECK_LEFT_AFTER = datetime.timedelta(minutes=5)


def check_left_demands(now: datetime.datetime) -> int:
    """The duplicate check of the demands whose queued check was lost."""
    return actions.check_new_demands(filed_before=now - CHECK_LEFT_AFTER)


def erase_expired_personal_data(now: datetime.datetime) -> int:
    """Erase the personal data of demands closed for longer than the retention,
    and of demands never closed with no activity for as long."""
    days = settings.SANFU_DEMANDS["PERSONAL_DATA_RETENTION_DAYS"]
    cutoff = now - datetime.timedelta(days=days)
    closed = Demand.objects.filter(
        status=DemandStatus.CLOSED,
        closed_at__lte=cutoff,
        personal_data_erased_at__isnull=True,
    )
    idle = (
        Demand.objects.exclude(status=DemandStatus.CLOSED)
        .filter(personal_data_erased_at__isnull=True)
        .idle_since(cutoff)
    )
    erased = 0
    for demand in chain(
        closed.order_by("pk").iterator(chunk_size=500),
        idle.order_by("pk").iterator(chunk_size=500),
    ):
        try:
            actions.erase_personal_data(demand, now=now)
        except Conflict:
            continue  # erased by a run at the same time
        erased += 1
    return erased


def close_unrated_demands(now: datetime.datetime) -> int:
    """Close the replied demands whose rating window has run out.

    One whose submitter left a phone number waits for the office's return visit
    to this reply: the call is how most such submitters rate, and a long holiday
    can outlast the window before the visit falls due. A visit that reaches
    nobody is recorded as 不了解, and the demand closes at the next sweep."""
    window = datetime.timedelta(days=settings.SANFU_DEMANDS["RATING_WINDOW_DAYS"])
    visited = ReturnVisit.objects.filter(
        demand=OuterRef("pk"), replied_at=OuterRef("replied_at"), done_at__isnull=False
    )
    expired = (
        Demand.objects.filter(status=DemandStatus.REPLIED, replied_at__lte=now - window)
        .filter(Q(submitter_phone="") | Exists(visited))
        .order_by("pk")
    )
    closed = 0
    for demand in expired:
        try:
            actions.close_unrated(demand, now=now)
        except Conflict:
            continue  # rated since the query
        closed += 1
    return closed


def notice_lag(kind: str) -> int:
    """Working days after a missed deadline on which its notice of ``kind`` is due:
    the reminder the next one, the circular five (by default) after that."""
    if kind == NoticeKind.REMINDER:
        return 1
    return 1 + int(settings.SANFU_DEMANDS["CIRCULAR_AFTER_WORKDAYS"])


def issue_notices(now: datetime.datetime, kind: str) -> int:
    """Write the notices of ``kind`` now due for the deadlines units are missing
    (on the demo's fast clock, the reminder as soon as a deadline is missed)."""
    cutoff = _before_workdays(now, notice_lag(kind))
    if kind == NoticeKind.REMINDER and demo_minutes():
        cutoff = now
    late = (
        Demand.objects.filter(
            Q(status=DemandStatus.DISPATCHED, accept_due__lt=cutoff)
            | Q(
                status__in=[DemandStatus.ACCEPTED, DemandStatus.REOPENED],
                reply_due__lt=cutoff,
            )
        )
        .annotate(
            missed=Case(
                When(status=DemandStatus.DISPATCHED, then=F("accept_due")),
                default=F("reply_due"),
            )
        )
        .exclude(
            Exists(
                ReminderNotice.objects.filter(
                    demand=OuterRef("pk"), kind=kind, deadline=OuterRef("missed")
                )
            )
        )
        .order_by("pk")
    )
    issued = 0
    for demand in late:
        try:
            notice = actions.issue_notice(demand, kind=kind, now=now)
        except Conflict:
            continue  # acted on since the query
        issued += notice is not None
    return issued


def schedule_return_visits(now: datetime.datetime) -> int:
    """Give the office a return visit for each reply, from the working day after it,
    to submitters who left a phone number."""
    cutoff = _before_workdays(now, 1)
    replied = (
        Demand.objects.filter(status=DemandStatus.REPLIED, replied_at__lt=cutoff)
        .exclude(submitter_phone="")
        .exclude(
            Exists(
                ReturnVisit.objects.filter(
                    demand=OuterRef("pk"), replied_at=OuterRef("replied_at")
                )
            )
        )
        .order_by("pk")
    )
    scheduled = 0
    for demand in replied:
        try:
            visit = actions.schedule_return_visit(demand, now=now)
        except Conflict:
            continue  # rated since the query
        scheduled += visit is not None
    return scheduled
