"""Deadline reminders for the ledgers' owners, run every few minutes by
``manage.py sweep_ledgers``.

The responsible person of an open rectification measure, the head and liaison of a
unit with a practical deed in progress, and the owner of an open meeting decision
(its person, else its unit's head and liaison) are told once when the deadline is
near (``NEAR_WORKDAYS`` working days or fewer ahead) and once when it has passed.
Each item is handled under a lock on its row and recorded as a ``DeadlineNotice``:
running twice, or two runs at once, tell nobody the second time.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.models import ActionStatus, Decision
from campaigns.recipients import unit_people
from core.days import start_of_day
from core.workdays import add_workdays
from ledgers.models import (
    DeadlineNotice,
    DeadlineNoticeKind,
    DeedStatus,
    NoticeSubject,
    PracticalDeed,
    ProblemStatus,
    RectificationMeasure,
)
from notify.actions import notify_on_commit
from org.calendar import overrides

NEAR_WORKDAYS = 2


@dataclass(frozen=True)
class LedgerSweepResult:
    near: int = 0
    passed: int = 0


def _reverse(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _action_items() -> str:
    try:
        return reverse("campaign_plans:action_items")
    except NoReverseMatch:
        return ""


def _open_measures() -> QuerySet[RectificationMeasure]:
    return RectificationMeasure.objects.filter(
        completed_on__isnull=True,
        confirmed_at__isnull=True,
        problem__status=ProblemStatus.OPEN,
    )


def _open_deeds() -> QuerySet[PracticalDeed]:
    return PracticalDeed.objects.filter(status=DeedStatus.IN_PROGRESS)


def _open_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(status=ActionStatus.OPEN)


def _measure_owners(measure: Any) -> list[int]:
    return [measure.owner_id]


def _deed_owners(deed: Any) -> list[int]:
    return list(unit_people(deed.unit_id).values_list("pk", flat=True))


def _decision_owners(decision: Any) -> list[int]:
    if decision.owner_person_id is not None:
        return [decision.owner_person_id]
    return list(unit_people(decision.owner_unit_id).values_list("pk", flat=True))


@dataclass(frozen=True)
class _Subject:
    name: str
    rows: Callable[[], QuerySet[Any]]
    owners: Callable[[Any], list[int]]
    link: Callable[[Any], str]
    label: Callable[[Any], str]


SUBJECTS = (
    _Subject(
        NoticeSubject.MEASURE,
        _open_measures,
        _measure_owners,
        lambda m: _reverse("ledgers_admin:problem", m.problem_id),
        lambda m: m.description[:40],
    ),
    _Subject(
        NoticeSubject.DEED,
        _open_deeds,
        _deed_owners,
        lambda d: _reverse("ledgers_admin:deed", d.pk),
        lambda d: d.title[:40],
    ),
    _Subject(
        NoticeSubject.DECISION,
        _open_decisions,
        _decision_owners,
        lambda d: _action_items(),
        lambda d: d.text[:40],
    ),
)


def _message(kind: str, label: str, deadline: datetime.date) -> Any:
    if kind == DeadlineNoticeKind.NEAR:
        template = _("The deadline of “{label}” is near: {deadline}.")
    else:
        template = _("The deadline of “{label}” has passed: {deadline}.")
    return format_lazy(template, label=label, deadline=deadline.isoformat())


@transaction.atomic
def notify_deadline(subject: _Subject, pk: int, kind: str) -> DeadlineNotice | None:
    """Tell the owners of one item about its deadline, once: under the item's row
    lock, the item must still be open and not yet noticed for this deadline."""
    row: Model | None = (
        subject.rows().select_for_update(of=("self",)).filter(pk=pk).first()
    )
    if row is None:
        return None  # closed since the query
    deadline: datetime.date = row.deadline  # type: ignore[attr-defined]
    if DeadlineNotice.objects.filter(
        subject=subject.name, subject_id=pk, kind=kind, deadline=deadline
    ).exists():
        return None
    owners = subject.owners(row)
    notice = DeadlineNotice.objects.create(
        subject=subject.name,
        subject_id=pk,
        kind=kind,
        deadline=deadline,
        recipients=len(set(owners)),
    )
    message = _message(kind, subject.label(row), deadline)
    link = subject.link(row)
    if owners:
        notify_on_commit(owners, message, link)
    return notice


def _due(
    subject: _Subject, kind: str, today: datetime.date, horizon: datetime.date
) -> Iterable[int]:
    rows = subject.rows()
    if kind == DeadlineNoticeKind.NEAR:
        rows = rows.filter(deadline__gte=today, deadline__lte=horizon)
    else:
        rows = rows.filter(deadline__lt=today)
    noticed = DeadlineNotice.objects.filter(
        subject=subject.name,
        subject_id=OuterRef("pk"),
        kind=kind,
        deadline=OuterRef("deadline"),
    )
    return list(
        rows.exclude(Exists(noticed)).order_by("pk").values_list("pk", flat=True)
    )


def near_horizon(today: datetime.date) -> datetime.date:
    """The last day whose deadline counts as near on ``today``: ``NEAR_WORKDAYS``
    working days ahead, by the Chinese calendar and the override table."""
    start = start_of_day(today)
    return timezone.localdate(add_workdays(start, NEAR_WORKDAYS, overrides()))


def deadline_card(deadline: datetime.date | None, now: datetime.datetime) -> str:
    """The card a ledger deadline shows at ``now``, by the sweep's own rule: "red"
    once its day has passed, "yellow" when it is near, else "" (no deadline, no
    card)."""
    if deadline is None:
        return ""
    today = timezone.localdate(now)
    if deadline < today:
        return "red"
    if deadline <= near_horizon(today):
        return "yellow"
    return ""


def sweep(now: datetime.datetime) -> LedgerSweepResult:
    today = timezone.localdate(now)
    horizon = near_horizon(today)
    counts = {DeadlineNoticeKind.NEAR: 0, DeadlineNoticeKind.PASSED: 0}
    for kind in (DeadlineNoticeKind.PASSED, DeadlineNoticeKind.NEAR):
        for subject in SUBJECTS:
            for pk in _due(subject, kind, today, horizon):
                counts[kind] += notify_deadline(subject, pk, kind) is not None
    return LedgerSweepResult(
        near=counts[DeadlineNoticeKind.NEAR], passed=counts[DeadlineNoticeKind.PASSED]
    )
