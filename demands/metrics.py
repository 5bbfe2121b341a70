"""The five rates of a 12345 hotline, per unit and per main task, over a period.

The database does the counting: each count is a ``COUNT(*) FILTER (WHERE …)``
(``COUNTS``), kept per campaign, unit, main task and day of submission in the rollup
``DemandDayStat`` (``demands.rollup``, recounted by the actions as demands move),
and per month in ``DemandMonthStat``; the report adds up the rollup's rows of the
period's whole months and of its partial months' days in one query, and Python
only adds the groups up per unit and per main task and divides the sums.
``grouped`` and ``totals`` count the raw demands live, as the rollup does. A rate
whose denominator is zero is ``None`` (no figure), not 0 % (a bad figure).

What each rate means, as the office reads it:

- response rate: accepted (簽收) by the acceptance deadline / dispatched;
- on-time reply rate: replied (答覆) by the reply deadline / replied. A reopened
  demand keeps only its latest reply time, so it counts here once it is replied
  again, measured against its new deadline;
- resolution rate: replied as solved / ever replied;
- satisfaction rate: (滿意 + 基本滿意) / counted ratings; 不了解 and unrated demands
  are left out of both;
- reopen rate: reopened (重辦) / ever replied.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum

from campaigns.models import Campaign, MainTask
from campaigns.seats import OVERSIGHT, campaigns_where
from demands.models import (
    COUNTED_RATINGS,
    Demand,
    DemandDayStat,
    DemandMonthStat,
    Rating,
)
from org.models import Unit
from sanfu.lib.days import start_of_day

Grouping = Literal["unit", "main_task"]

# The counts each row carries, as SQL: name → filter (None: every demand). The live
# figures and the rollup both count with these; DemandDayStat has a column for each.
COUNTS: dict[str, Q | None] = {
    "received": None,
    "dispatched": Q(dispatched_at__isnull=False),
    "accepted_in_time": Q(accepted_at__lte=F("accept_due")),
    # ever replied: a reopened demand awaiting its second reply has no replied_at
    "replied": Q(replied_at__isnull=False) | Q(reopen_count__gt=0),
    "reply_timed": Q(replied_at__isnull=False),
    "replied_in_time": Q(replied_at__lte=F("reply_due")),
    "solved": Q(solved=True),
    "rated": Q(rating__in=COUNTED_RATINGS),
    "satisfied": Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED]),
    "reopened": Q(reopen_count__gt=0),
}


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Period:
    """Calendar days, both ends included, in the site's time zone; ``None`` leaves
    that end open."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        start = start_of_day(self.start) if self.start else None
        end = start_of_day(self.end + datetime.timedelta(days=1)) if self.end else None
        return start, end


@dataclass(frozen=True)
class Row:
    """One unit's (or main task's, or the whole campaign's) counts and rates."""

    key: int | None
    label: str
    received: int = 0
    dispatched: int = 0
    accepted_in_time: int = 0
    replied: int = 0
    reply_timed: int = 0
    replied_in_time: int = 0
    solved: int = 0
    rated: int = 0
    satisfied: int = 0
    reopened: int = 0

    @property
    def response_rate(self) -> float | None:
        return _ratio(self.accepted_in_time, self.dispatched)

    @property
    def on_time_reply_rate(self) -> float | None:
        return _ratio(self.replied_in_time, self.reply_timed)

    @property
    def resolution_rate(self) -> float | None:
        return _ratio(self.solved, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return _ratio(self.satisfied, self.rated)

    @property
    def reopen_rate(self) -> float | None:
        return _ratio(self.reopened, self.replied)


RATES = (
    "response_rate",
    "on_time_reply_rate",
    "resolution_rate",
    "satisfaction_rate",
    "reopen_rate",
)


def demands_in(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
) -> QuerySet[Demand]:
    """The demands the figures are about: the campaign's, submitted in the period."""
    demands = Demand.objects.filter(campaign=campaign)
    start, end = (period or Period()).bounds()
    if start is not None:
        demands = demands.filter(submitted_at__gte=start)
    if end is not None:
        demands = demands.filter(submitted_at__lt=end)
    if main_task is not None:
        demands = demands.filter(main_task=main_task)
    return demands


def count_aggregates() -> dict[str, Any]:
    """``COUNTS`` as aggregate expressions over demands, name → ``Count``."""
    return {
        name: Count("pk", filter=condition) if condition else Count("pk")
        for name, condition in COUNTS.items()
    }


def totals(demands: QuerySet[Demand], label: str = "") -> Row:
    """The counts over all of ``demands``, in one query."""
    counts = demands.order_by().aggregate(**count_aggregates())
    return Row(key=None, label=label, **counts)


def _by(demands: QuerySet[Demand], field: str) -> list[dict[str, Any]]:
    return list(demands.order_by().values(field).annotate(**count_aggregates()))


def _sum(groups: list[dict[str, Any]], label: str = "") -> Row:
    """Every count is additive, so the totals are the groups' sums (NULL group
    included): one scan of the demands fewer."""
    return Row(
        key=None,
        label=label,
        **{name: sum(group[name] for group in groups) for name in COUNTS},
    )


def grouped(demands: QuerySet[Demand], by: Grouping) -> list[Row]:
    """One row per unit (or main task) that has demands, in one aggregate query
    (and one for the names), in the unit tree's (or the tasks') order. Demands
    without a unit (not yet dispatched) or without a main task are in the totals
    only."""
    return _rows(_by(demands, f"{by}_id"), by)


def _rows(groups: list[dict[str, Any]], by: Grouping) -> list[Row]:
    field = f"{by}_id"
    counts = [dict(group) for group in groups if group[field] is not None]
    # the unit tree's order, or the main tasks' sequence
    model: type[Unit] | type[MainTask] = Unit if by == "unit" else MainTask
    order = "path" if by == "unit" else "sequence"
    names = {
        pk: (position, name)
        for position, (pk, name) in enumerate(
            model._default_manager.filter(pk__in=[c[field] for c in counts])
            .order_by(order)
            .values_list("pk", "name")
        )
    }
    # a few hundred groups at most, never demand rows
    rows = [Row(key=(key := c.pop(field)), label=names[key][1], **c) for c in counts]
    return sorted(rows, key=lambda row: names[row.key][0])


def ranking_min_rated() -> int:
    return int(settings.SANFU_DEMANDS.get("RANKING_MIN_RATED", 5))


def rank(
    rows: Iterable[Row],
    *,
    rate: str = "satisfaction_rate",
    min_rated: int | None = None,
) -> dict[int | None, int]:
    """Competition ranks (1, 1, 3) by ``rate``, best first.

    Rows with fewer counted ratings than ``min_rated`` (default: the setting
    ``SANFU_DEMANDS["RANKING_MIN_RATED"]``) or without the rate are left out: they
    keep their figures but one fast reply must not top the ranking.
    """
    minimum = ranking_min_rated() if min_rated is None else min_rated
    eligible: Sequence[tuple[float, int | None]] = sorted(
        (
            (value, row.key)
            for row in rows
            if row.rated >= minimum and (value := getattr(row, rate)) is not None
        ),
        key=lambda pair: -pair[0],
    )
    ranks: dict[int | None, int] = {}
    previous: float | None = None
    current = 0
    for position, (value, key) in enumerate(eligible, start=1):
        if value != previous:
            current, previous = position, value
        ranks[key] = current
    return ranks


@dataclass(frozen=True)
class Report:
    total: Row
    by_unit: list[Row]
    by_main_task: list[Row]
    unit_ranks: dict[int | None, int]
    min_rated: int


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=31)).replace(day=1)


@dataclass(frozen=True)
class Split:
    """A period as the rollup reads it: its whole calendar months (``months``, the
    first days of the first month and of the month after the last; ``None`` leaves
    an end open), or ``None`` when it holds no whole month, and the days of the
    partial months at either edge (``days``, inclusive ranges)."""

    months: tuple[datetime.date | None, datetime.date | None] | None
    days: tuple[tuple[datetime.date | None, datetime.date | None], ...]


def split(period: Period) -> Split:
    start, end = period.start, period.end
    first = start if start is None or start.day == 1 else _next_month(start)
    until = None
    if end is not None:
        after = _next_month(end)
        until = (
            after if after - datetime.timedelta(days=1) == end else end.replace(day=1)
        )
    if first is not None and until is not None and first >= until:
        return Split(None, ((start, end),))
    days = []
    if start is not None and first is not None and start < first:
        days.append((start, first - datetime.timedelta(days=1)))
    if end is not None and until is not None and until <= end:
        days.append((until, end))
    return Split((first, until), tuple(days))


def _sums(stats: QuerySet[Any]) -> QuerySet[Any, dict[str, Any]]:
    # an annotation may not take a column's name: sum under another name
    return (
        stats.order_by()
        .values("unit_id", "main_task_id")
        .annotate(**{f"sum_{name}": Sum(name) for name in COUNTS})
    )


def stat_groups(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
) -> list[dict[str, Any]]:
    """The counts of ``demands_in`` per (unit, main task), from the rollup: the
    period's whole months from ``DemandMonthStat``, its partial months' days from
    ``DemandDayStat``, in one query (the two levels' groups joined by UNION ALL and
    added here: a few thousand rows at most, never demand rows)."""
    parts: list[QuerySet[Any]] = []
    pieces = split(period or Period())
    if pieces.months is not None:
        months = DemandMonthStat.objects.filter(campaign=campaign)
        first, until = pieces.months
        if first is not None:
            months = months.filter(month__gte=first)
        if until is not None:
            months = months.filter(month__lt=until)
        parts.append(months)
    if pieces.days:
        edges = Q()
        for start, end in pieces.days:
            edge = Q()
            if start is not None:
                edge &= Q(day__gte=start)
            if end is not None:
                edge &= Q(day__lte=end)
            edges |= edge
        parts.append(DemandDayStat.objects.filter(edges, campaign=campaign))
    if main_task is not None:
        parts = [part.filter(main_task=main_task) for part in parts]
    first_part, *others = [_sums(part) for part in parts]
    rows = first_part.union(*others, all=True) if others else first_part
    return _added_up(rows, ("unit_id", "main_task_id"), prefix="sum_")


def _added_up(
    rows: Iterable[dict[str, Any]], fields: tuple[str, ...], prefix: str = ""
) -> list[dict[str, Any]]:
    """The rows' counts (each under ``prefix`` + its name) added up per value of
    ``fields``: the month and day groups per (unit, main task), those per unit or
    per main task."""
    sums: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[field] for field in fields)
        total = sums.setdefault(
            key, {**dict(zip(fields, key, strict=True)), **dict.fromkeys(COUNTS, 0)}
        )
        for name in COUNTS:
            total[name] += row[prefix + name]
    return list(sums.values())


def report(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
) -> Report:
    """Everything the metrics screen and its export show, from the rollup: one
    aggregate query (per unit and main task, ``stat_groups``; the rows per unit,
    per main task and the totals are its sums, the undispatched included) and two
    for the names."""
    groups = stat_groups(campaign, period=period, main_task=main_task)
    by_unit = _rows(_added_up(groups, ("unit_id",)), "unit")
    minimum = ranking_min_rated()
    return Report(
        total=_sum(groups),
        by_unit=by_unit,
        by_main_task=_rows(_added_up(groups, ("main_task_id",)), "main_task"),
        unit_ranks=rank(by_unit, min_rated=minimum),
        min_rated=minimum,
    )


def campaigns_overseen_by(user: Any) -> QuerySet[Campaign]:
    """Campaigns whose figures a person may see: those where they sit in the leading
    group or the office (any campaign for a superuser)."""
    return campaigns_where(user, OVERSIGHT)
