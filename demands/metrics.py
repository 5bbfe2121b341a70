"""The five rates of a 12345 hotline, per unit and per main task, over a period.

The database does the counting: each count is a ``COUNT(*) FILTER (WHERE …)``
(``COUNTS``), kept per campaign, unit, main task and day of submission in the rollup
``DemandDayStat`` (``demands.rollup``, recounted by the actions as demands move),
and per month in ``DemandMonthStat``; the report adds up the rollup's rows of the
period's whole months and of its partial months' days in one query, and Python
only adds the groups up per unit and per main task and divides the sums.
``grouped`` and ``totals`` count the raw demands live, as the rollup does. A rate
whose denominator is zero is ``None`` (no figure), not 0 % (a bad figure); one
whose denominator is under ``SMALL_SAMPLE`` is shown with its size and flagged.

Each rate is defined once, in ``RATE_DEFINITIONS`` (its numerator, its denominator
and the sentence printed under it on the screen, in the workbook and on the
cockpit), as a 12345 back office reads it: an on-time rate's denominator holds what
has come due or was done; a demand late and still undone counts as late; one not
yet due and undone is left out. Whether a deadline has come depends on the moment
the figures are read, not on anything the rollup sees, so those counts
(``LIVE_COUNTS``) are counted live over the demands still in hand (the open ones,
a few percent).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MainTask
from core.days import start_of_day
from demands.models import (
    COUNTED_RATINGS,
    Demand,
    DemandDayStat,
    DemandMonthStat,
    DemandQuerySet,
    DemandStatus,
    Rating,
)
from org.models import Unit

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
    # the reply standing now was sent with flags (demands.reply_checks)
    "reply_flagged": Q(replied_at__isnull=False, reply_flagged=True),
}


# A demand dispatched and not accepted yet, or in hand and not replied yet.
AWAITING_ACCEPTANCE = (DemandStatus.DISPATCHED,)
AWAITING_REPLY = (DemandStatus.DISPATCHED, DemandStatus.ACCEPTED, DemandStatus.REOPENED)


def live_counts(now: datetime.datetime) -> dict[str, Q]:
    """The counts that change as deadlines pass, at ``now``: name → filter. Every
    demand they count is open, so they are counted over the open demands."""
    return {
        "awaiting_acceptance": Q(status__in=AWAITING_ACCEPTANCE),
        "acceptance_overdue": Q(status__in=AWAITING_ACCEPTANCE, accept_due__lte=now),
        "reply_overdue": Q(status__in=AWAITING_REPLY, reply_due__lte=now),
    }


LIVE_COUNTS = ("awaiting_acceptance", "acceptance_overdue", "reply_overdue")
ALL_COUNTS = (*COUNTS, *LIVE_COUNTS)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


# A rate over fewer demands than this is shown with its sample size and flagged.
SMALL_SAMPLE = 5


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
    reply_flagged: int = 0
    awaiting_acceptance: int = 0
    acceptance_overdue: int = 0
    reply_overdue: int = 0

    @property
    def acceptance_due(self) -> int:
        """Dispatched demands accepted, or whose acceptance deadline has passed."""
        return self.dispatched - self.awaiting_acceptance + self.acceptance_overdue

    @property
    def reply_due(self) -> int:
        """Demands replied, or in hand past their reply deadline."""
        return self.reply_timed + self.reply_overdue

    def figure(self, rate: "Rate") -> "Figure":
        numerator = int(getattr(self, rate.numerator))
        denominator = int(getattr(self, rate.denominator))
        return Figure(rate, numerator, denominator)

    @property
    def response_rate(self) -> float | None:
        return self.figure(RESPONSE).value

    @property
    def on_time_reply_rate(self) -> float | None:
        return self.figure(ON_TIME_REPLY).value

    @property
    def resolution_rate(self) -> float | None:
        return self.figure(RESOLUTION).value

    @property
    def satisfaction_rate(self) -> float | None:
        return self.figure(SATISFACTION).value

    @property
    def reopen_rate(self) -> float | None:
        return self.figure(REOPEN).value

    @property
    def flagged_reply_rate(self) -> float | None:
        return self.figure(FLAGGED_REPLY).value


@dataclass(frozen=True)
class Rate:
    """One rate: the ``Row`` counts it divides and the sentence that defines it,
    printed under the figure wherever it is shown."""

    name: str
    label: Promise
    numerator: str
    denominator: str
    definition: Promise


@dataclass(frozen=True)
class Figure:
    """A rate's value for one row, with its sample (the denominator)."""

    rate: Rate
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return _ratio(self.numerator, self.denominator)

    @property
    def small(self) -> bool:
        """Too few demands to compare: shown with its size and flagged."""
        return 0 < self.denominator < SMALL_SAMPLE

    @property
    def flag(self) -> str:
        """The mark and sample size of a small sample (see ``small_sample_note``),
        else ""."""
        return f"※ n={self.denominator}" if self.small else ""


RESPONSE = Rate(
    "response_rate",
    _("Response rate"),
    "accepted_in_time",
    "acceptance_due",
    _(
        "Accepted by the acceptance deadline ÷ dispatched demands accepted or past "
        "their acceptance deadline. Still not accepted after the deadline counts as "
        "late; still inside the deadline is left out."
    ),
)
ON_TIME_REPLY = Rate(
    "on_time_reply_rate",
    _("On-time reply rate"),
    "replied_in_time",
    "reply_due",
    _(
        "Replied by the reply deadline ÷ demands replied or past their reply "
        "deadline. Still unanswered after the deadline counts as late; still inside "
        "the deadline is left out. A reopened demand counts against its new deadline."
    ),
)
RESOLUTION = Rate(
    "resolution_rate",
    _("Resolution rate"),
    "solved",
    "replied",
    _("Replied as solved ÷ demands ever replied."),
)
SATISFACTION = Rate(
    "satisfaction_rate",
    _("Satisfaction rate"),
    "satisfied",
    "rated",
    _(
        "Satisfied or basically satisfied ÷ counted ratings; “cannot say” and "
        "unrated demands are left out."
    ),
)
REOPEN = Rate(
    "reopen_rate",
    _("Reopen rate"),
    "reopened",
    "replied",
    _("Reopened ÷ demands ever replied (lower is better)."),
)
FLAGGED_REPLY = Rate(
    "flagged_reply_rate",
    _("Flagged reply share"),
    "reply_flagged",
    "reply_timed",
    _(
        "Replies sent with flags from the checks before sending (no contact, no "
        "action or result stated, boilerplate, a near-copy of an earlier reply, no "
        "photo of on-site work) ÷ replies standing now (lower is better)."
    ),
)
RATE_DEFINITIONS = (
    RESPONSE,
    ON_TIME_REPLY,
    RESOLUTION,
    SATISFACTION,
    REOPEN,
    FLAGGED_REPLY,
)
RATES = tuple(rate.name for rate in RATE_DEFINITIONS)
RATES_BY_NAME = {rate.name: rate for rate in RATE_DEFINITIONS}


def count_condition(name: str, now: datetime.datetime) -> Q:
    """The demands a ``Row`` count (or a sum of counts, ``acceptance_due`` and
    ``reply_due``) holds at ``now``, as a filter: the rows behind a figure, which
    the office's list shows when a figure is followed. Counting the filter over a
    period's demands gives the figure."""
    live = live_counts(now)
    if name == "acceptance_due":
        # dispatched, less those awaiting acceptance still inside the deadline
        return Q(dispatched_at__isnull=False) & (
            ~live["awaiting_acceptance"] | live["acceptance_overdue"]
        )
    if name == "reply_due":
        return Q(replied_at__isnull=False) | live["reply_overdue"]
    condition = COUNTS.get(name) if name in COUNTS else live[name]
    return condition if condition is not None else Q()


def behind(rate: Rate, now: datetime.datetime) -> Q:
    """The demands a rate is a share of (its denominator) at ``now``."""
    return count_condition(rate.denominator, now)


def small_sample_note() -> str:
    """The flag's meaning, printed under the figures."""
    return str(
        _(
            "※ fewer than %(minimum)s demands behind the rate: too small a sample "
            "to compare, shown with its size (n)."
        )
        % {"minimum": SMALL_SAMPLE}
    )


def demands_in(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
) -> QuerySet[Demand]:
    """The demands the figures are about: the campaign's, submitted in the period,
    each counted once: a duplicate the office merged into a parent order counts
    with its parent (``merged_with_parent``), not on its own."""
    return _submitted_in(campaign, period=period, main_task=main_task).counted()


def merged_with_parent(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
) -> int:
    """How many of the period's demands were merged into a parent order and are
    counted with it (the note under the figures)."""
    merged = _submitted_in(campaign, period=period, main_task=main_task)
    return merged.filter(merged_into__isnull=False).count()


def merged_note(count: int) -> str:
    """The note under the figures that says the parents count once."""
    return str(
        _(
            "%(count)d merged demands counted with their parent: each parent order "
            "counts once in every rate."
        )
        % {"count": count}
    )


def _submitted_in(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
) -> DemandQuerySet:
    demands = Demand.objects.filter(campaign=campaign)
    start, end = (period or Period()).bounds()
    if start is not None:
        demands = demands.filter(submitted_at__gte=start)
    if end is not None:
        demands = demands.filter(submitted_at__lt=end)
    if main_task is not None:
        demands = demands.filter(main_task=main_task)
    return demands


def count_aggregates(now: datetime.datetime | None = None) -> dict[str, Any]:
    """``COUNTS`` as aggregate expressions over demands, name → ``Count``; with
    ``now``, the ``live_counts`` at that moment too."""
    conditions: dict[str, Q | None] = dict(COUNTS)
    if now is not None:
        conditions.update(live_counts(now))
    return {
        name: Count("pk", filter=condition) if condition else Count("pk")
        for name, condition in conditions.items()
    }


def totals(
    demands: QuerySet[Demand], label: str = "", now: datetime.datetime | None = None
) -> Row:
    """The counts over all of ``demands`` at ``now`` (default: now), in one query."""
    counts = demands.order_by().aggregate(**count_aggregates(now or timezone.now()))
    return Row(key=None, label=label, **counts)


def _by(
    demands: QuerySet[Demand], field: str, now: datetime.datetime
) -> list[dict[str, Any]]:
    return list(demands.order_by().values(field).annotate(**count_aggregates(now)))


def _sum(groups: list[dict[str, Any]], label: str = "") -> Row:
    """Every count is additive, so the totals are the groups' sums (NULL group
    included): one scan of the demands fewer."""
    return Row(
        key=None,
        label=label,
        **{name: sum(group.get(name, 0) for group in groups) for name in ALL_COUNTS},
    )


def grouped(
    demands: QuerySet[Demand], by: Grouping, now: datetime.datetime | None = None
) -> list[Row]:
    """One row per unit (or main task) that has demands, in one aggregate query
    (and one for the names), in the unit tree's (or the tasks') order, then a row
    (key ``None``) for the demands without one: not dispatched yet, or with no
    main task. The rows add up to ``totals``."""
    return _rows(_by(demands, f"{by}_id", now or timezone.now()), by)


def none_label(by: Grouping) -> str:
    """The label of the row of demands with no unit (or no main task)."""
    return str(_("Not dispatched") if by == "unit" else _("Uncategorised"))


def _rows(groups: list[dict[str, Any]], by: Grouping) -> list[Row]:
    field = f"{by}_id"
    counts = [dict(group) for group in groups if group[field] is not None]
    missing = [group for group in groups if group[field] is None]
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
    rows.sort(key=lambda row: names[row.key][0])
    if missing:
        rows.append(_sum(missing, none_label(by)))
    return rows


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
            if row.key is not None
            and row.rated >= minimum
            and (value := getattr(row, rate)) is not None
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
    # the counts per (unit, main task), which the rows above add up
    groups: tuple[dict[str, Any], ...] = ()

    def by_main_task_of(self, unit: int | None) -> list[Row]:
        """The rows per main task of one unit's demands (``None``: the demands not
        dispatched yet)."""
        return _rows(
            _added_up(
                [group for group in self.groups if group["unit_id"] == unit],
                ("main_task_id",),
            ),
            "main_task",
        )


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
            key,
            {**dict(zip(fields, key, strict=True)), **dict.fromkeys(ALL_COUNTS, 0)},
        )
        for name in ALL_COUNTS:
            total[name] += row.get(prefix + name, 0)
    return list(sums.values())


def pending_groups(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
    now: datetime.datetime,
) -> list[dict[str, Any]]:
    """The ``live_counts`` of ``demands_in`` per (unit, main task) at ``now``,
    counted over the open demands (every one they count is open)."""
    demands = demands_in(campaign, period=period, main_task=main_task).filter(
        status__in=AWAITING_REPLY
    )
    return list(
        demands.order_by()
        .values("unit_id", "main_task_id")
        .annotate(
            **{
                name: Count("pk", filter=condition)
                for name, condition in live_counts(now).items()
            }
        )
    )


def report(
    campaign: Campaign,
    *,
    period: Period | None = None,
    main_task: MainTask | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """Everything the metrics screen and its export show, at ``now`` (default:
    now), from the rollup: one aggregate query (per unit and main task,
    ``stat_groups``), one over the open demands for the deadlines passed
    (``pending_groups``) and two for the names. The rows per unit and per main
    task (with a row for those without) and the totals are their sums."""
    groups = _added_up(
        [
            *stat_groups(campaign, period=period, main_task=main_task),
            *pending_groups(
                campaign,
                period=period,
                main_task=main_task,
                now=now or timezone.now(),
            ),
        ],
        ("unit_id", "main_task_id"),
    )
    by_unit = _rows(_added_up(groups, ("unit_id",)), "unit")
    minimum = ranking_min_rated()
    return Report(
        total=_sum(groups),
        by_unit=by_unit,
        by_main_task=_rows(_added_up(groups, ("main_task_id",)), "main_task"),
        unit_ranks=rank(by_unit, min_rated=minimum),
        min_rated=minimum,
        groups=tuple(groups),
    )
