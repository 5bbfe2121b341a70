"""Early warning (預警): how likely an open demand is to miss its reply deadline.

Three factors, each one the office can read and check on the demand's page:

- **history**: how many working days the handling unit took, dispatch to reply,
  with demands of the same category over the last ``HISTORY_DAYS`` (its own
  demands of any category when it has fewer than ``MIN_SAMPLES`` of this one);
- **time left**: the working days from now to the reply deadline, and those
  already spent since dispatch;
- **backlog**: the demands the unit holds open now.

The risk is the share of the unit's past demands of the category that were still
unanswered after the working days this one has already used and took longer than
it has in all (P(D > spent + left | D > spent)), smoothed towards the same share
over all the unit's demands, and that towards ``PRIOR`` (``PRIOR_WEIGHT``
pseudo-demands each time); then raised by the backlog beyond ``BACKLOG_FREE``
open demands. No
model is trained: the figures are counted when the list is shown, for the units
on the page, in three queries whatever the number of rows.
"""

import bisect
import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workdays import WorkdayCounter
from demands.models import Demand, DemandStatus
from org.calendar import overrides

# the statuses in which a unit holds the demand and owes a reply
IN_HAND = (DemandStatus.DISPATCHED, DemandStatus.ACCEPTED, DemandStatus.REOPENED)
HISTORY_DAYS = 180
MIN_SAMPLES = 5
# what is assumed of a unit without history: one demand in six late
PRIOR = 1 / 6
PRIOR_WEIGHT = 2
# open demands a unit carries without strain; each one beyond adds BACKLOG_STEP
BACKLOG_FREE = 10
BACKLOG_STEP = 0.01
BACKLOG_MAX = 0.3

# the levels the list filters by, with their lower bounds (shown beside them)
HIGH = 0.5
MEDIUM = 0.25
LEVELS = (
    ("high", _("High risk"), HIGH),
    ("medium", _("Medium risk"), MEDIUM),
    ("low", _("Low risk"), 0.0),
)


@dataclass(frozen=True)
class Risk:
    probability: float
    # the unit's median working days dispatch to reply; None: no history
    median_days: float | None
    samples: int
    # whose history it is: "category" (the unit with this category) or "unit"
    basis: str
    days_left: int
    days_spent: int
    backlog: int

    @property
    def percent(self) -> int:
        return round(self.probability * 100)

    @property
    def level(self) -> str:
        return level_of(self.probability)


def level_of(probability: float) -> str:
    for name, _label, bound in LEVELS:
        if probability >= bound:
            return name
    return "low"


def level_choices() -> list[tuple[str, str]]:
    """The list filter's choices, each with the bounds it stands for."""
    return [(name, level_label(name)) for name, _label, _bound in LEVELS]


def level_label(name: str) -> str:
    """A level with its bounds: "High risk (≥ 50%)", "Low risk (< 25%)"."""
    bounds = {level: bound for level, _label, bound in LEVELS}
    labels = {level: label for level, label, _bound in LEVELS}
    if bounds[name]:
        return f"{labels[name]} (≥ {round(bounds[name] * 100)}%)"
    return f"{labels[name]} (< {round(MEDIUM * 100)}%)"


def late_share(
    durations: Sequence[int], *, spent: int, left: int, prior: float
) -> float:
    """P(D > spent + left | D > spent) over the sorted past ``durations``, smoothed
    towards ``prior`` with ``PRIOR_WEIGHT`` pseudo-demands."""
    still_open = len(durations) - bisect.bisect_right(durations, spent)
    too_late = len(durations) - bisect.bisect_right(durations, spent + left)
    return (too_late + prior * PRIOR_WEIGHT) / (still_open + PRIOR_WEIGHT)


def breach_probability(
    durations: Sequence[int],
    *,
    spent: int,
    left: int,
    backlog: int,
    unit_durations: Sequence[int] = (),
) -> float:
    """The share of the unit's past demands of the category (``durations``,
    sorted working days) still unanswered after ``spent`` working days that took
    longer than ``spent + left``; where they are few, the same share over all
    the unit's demands (``unit_durations``) weighs in, and ``PRIOR`` where those
    are few too. Then raised by the backlog."""
    unit = late_share(unit_durations, spent=spent, left=left, prior=PRIOR)
    history = late_share(durations, spent=spent, left=left, prior=unit)
    strain = min(max(backlog - BACKLOG_FREE, 0) * BACKLOG_STEP, BACKLOG_MAX)
    return 1 - (1 - history) * (1 - strain)


@dataclass
class History:
    """Working days dispatch to reply of the units' recent replied demands, by
    unit and category and by unit alone (sorted)."""

    by_pair: dict[tuple[int, int | None], list[int]]
    by_unit: dict[int, list[int]]

    def durations(self, unit_id: int, category_id: int | None) -> list[int]:
        return self.by_pair.get((unit_id, category_id), [])

    def unit_durations(self, unit_id: int) -> list[int]:
        return self.by_unit.get(unit_id, [])


def load_history(
    unit_ids: Iterable[int],
    now: datetime.datetime,
    counter: WorkdayCounter,
    *,
    campaign_ids: Iterable[int] | None = None,
) -> History:
    """One query: the replies of the last ``HISTORY_DAYS`` before ``now``. A
    reopened demand's second reply ran from the reopening, not the dispatch: left
    out."""
    rows = Demand.objects.filter(
        unit_id__in=list(unit_ids),
        replied_at__gte=now - datetime.timedelta(days=HISTORY_DAYS),
        replied_at__lt=now,
        dispatched_at__isnull=False,
        reopen_count=0,
    )
    if campaign_ids is not None:
        rows = rows.filter(campaign_id__in=list(campaign_ids))
    return history_of(
        rows.values_list(
            "unit_id", "category_id", "dispatched_at", "replied_at"
        ).order_by(),
        counter,
    )


def history_of(
    rows: Iterable[
        tuple[
            int | None, int | None, datetime.datetime | None, datetime.datetime | None
        ]
    ],
    counter: WorkdayCounter,
) -> History:
    """The history of (unit, category, dispatched, replied) rows."""
    by_pair: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    by_unit: dict[int, list[int]] = defaultdict(list)
    for unit_id, category_id, dispatched, replied in rows:
        if unit_id is None or dispatched is None or replied is None:
            continue
        days = counter.between(_day(dispatched), _day(replied))
        by_pair[(unit_id, category_id)].append(days)
        by_unit[unit_id].append(days)
    for values in (*by_pair.values(), *by_unit.values()):
        values.sort()
    return History(dict(by_pair), dict(by_unit))


def load_backlog(unit_ids: Iterable[int]) -> dict[int, int]:
    """One query: the open demands each unit holds now."""
    return dict(
        Demand.objects.filter(unit_id__in=list(unit_ids), status__in=IN_HAND)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "n")
    )


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def risk_of(
    demand: Demand,
    *,
    now: datetime.datetime,
    history: History,
    backlog: dict[int, int],
    counter: WorkdayCounter,
) -> Risk | None:
    """The demand's risk from figures loaded for many at once; None for a demand
    no unit holds (the office's own deadline is to dispatch, not to reply)."""
    if demand.status not in IN_HAND or demand.unit_id is None:
        return None
    if demand.reply_due is None or demand.dispatched_at is None:
        return None
    today, due = _day(now), _day(demand.reply_due)
    left = counter.between(today, due) if demand.reply_due > now else 0
    if demand.status == DemandStatus.REOPENED:
        spent = 0  # the reply limit began afresh at the reopening
    else:
        spent = counter.between(_day(demand.dispatched_at), today)
    durations = history.durations(demand.unit_id, demand.category_id)
    unit_durations = history.unit_durations(demand.unit_id)
    held = backlog.get(demand.unit_id, 0)
    probability = (
        1.0
        if demand.reply_due <= now
        else breach_probability(
            durations,
            spent=spent,
            left=left,
            backlog=held,
            unit_durations=unit_durations,
        )
    )
    # the median shown is the category's where the unit has enough of them
    basis = "category" if len(durations) >= MIN_SAMPLES else "unit"
    shown = durations if basis == "category" else unit_durations
    return Risk(
        probability=probability,
        median_days=statistics.median(shown) if shown else None,
        samples=len(shown),
        basis=basis,
        days_left=left,
        days_spent=spent,
        backlog=held,
    )


def risks_for(
    demands: Sequence[Demand], now: datetime.datetime | None = None
) -> dict[int, Risk]:
    """The risk of each of ``demands`` a unit holds, keyed by primary key: three
    queries (history, backlog, the calendar's overrides) however many there are."""
    now = now or timezone.now()
    held = [d for d in demands if d.status in IN_HAND and d.unit_id is not None]
    if not held:
        return {}
    unit_ids = {d.unit_id for d in held if d.unit_id is not None}
    earliest = min(
        [_day(now) - datetime.timedelta(days=HISTORY_DAYS + 1)]
        + [_day(d.dispatched_at) for d in held if d.dispatched_at is not None]
    )
    latest = max(
        [_day(now)] + [_day(d.reply_due) for d in held if d.reply_due is not None]
    )
    counter = WorkdayCounter(earliest, latest, overrides())
    history = load_history(
        unit_ids, now, counter, campaign_ids={d.campaign_id for d in held}
    )
    backlog = load_backlog(unit_ids)
    risks = {}
    for demand in held:
        risk = risk_of(
            demand, now=now, history=history, backlog=backlog, counter=counter
        )
        if risk is not None:
            risks[demand.pk] = risk
    return risks
