"""The figures' rollup: ``DemandDayStat`` rows, the counts of ``demands.metrics``
per campaign, unit, main task and day of submission, and ``DemandMonthStat`` rows,
the same per calendar month (the sums of the month's day rows).

A demand counts on the day it was submitted, whatever happens to it later, so a
transition moves the demand's counts between at most two rows of that day (the
unit's row changes when it is dispatched or returned), and the same difference
between at most two rows of that month. The actions add the change in their own
transaction (``counting``, ``count_new``): the demand's counts are read from its
row before and after, by the same SQL as the figures (``COUNTS``), and the
difference is added to the rows with one upsert each (the day rows first, then the
month rows, each in one order for every writer; on PostgreSQL a change that only
adds, as a submission's, sends its upserts as one statement). Intake thus costs a
few indexed statements whatever the day's volume, and the rollup commits or rolls
back with the change it counts. Additions commute, so two transactions changing the
same month never lose each other's counts.

``rebuild`` recounts a campaign from its demands (a repair, and for generated data):
the day rows from the demands, the month rows as the sums of those day rows. On
PostgreSQL it first locks both tables in EXCLUSIVE mode: it waits for the changes
that wrote their counts and have not committed (it then reads their demands as
committed), and the changes that come to write meanwhile wait for it (they then add
their difference to the rebuilt rows): none is counted twice or lost. SQLite has one
writer at a time anyway.
"""

import contextlib
import datetime
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import DateField, F, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from demands.metrics import COUNTS, count_aggregates
from demands.models import (
    Demand,
    DemandCounts,
    DemandDayStat,
    DemandMonthStat,
    DemandStatus,
)

BATCH = 5_000

# (campaign, unit, main task, day or first day of the month): one rollup row
Key = tuple[int, int | None, int | None, datetime.date]
Counts = tuple[Key, dict[str, int]]


@dataclass(frozen=True)
class Level:
    """One table of the rollup: its model and the name of its date column."""

    model: type[DemandCounts]
    column: str

    def key_of(self, day: datetime.date) -> datetime.date:
        return day if self.column == "day" else day.replace(day=1)

    def end_of(self, first: datetime.date) -> datetime.date:
        """The first day after the row's day (or month) that starts on ``first``."""
        if self.column == "day":
            return first + datetime.timedelta(days=1)
        return (first + datetime.timedelta(days=31)).replace(day=1)


DAY = Level(DemandDayStat, "day")
MONTH = Level(DemandMonthStat, "month")
LEVELS = (DAY, MONTH)  # the order every writer locks the rows in


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime) -> datetime.date:
    """The rollup's day of ``moment``: its date in ``settings.TIME_ZONE``."""
    return moment.astimezone(local_zone()).date()


def _grouped(demands: QuerySet[Demand], level: Level = DAY) -> QuerySet[Demand, dict]:
    period: TruncDate | TruncMonth
    if level is DAY:
        period = TruncDate("submitted_at", tzinfo=local_zone())
    else:
        period = TruncMonth(
            "submitted_at", output_field=DateField(), tzinfo=local_zone()
        )
    # a demand merged into a parent order is counted with the parent, not again
    return (
        demands.filter(merged_into__isnull=True)
        .order_by()
        .annotate(**{level.column: period})
        .values("campaign_id", "unit_id", "main_task_id", level.column)
        .annotate(**count_aggregates())
    )


def counts_of(demand_pk: int) -> Counts | None:
    """The demand's (day) row key and counts, by the figures' own SQL."""
    for group in _grouped(Demand.objects.filter(pk=demand_pk)):
        key = (
            group.pop("campaign_id"),
            group.pop("unit_id"),
            group.pop("main_task_id"),
            group.pop("day"),
        )
        return key, group
    return None


def _key_filter(level: Level, key: Key) -> dict[str, object]:
    campaign_id, unit_id, main_task_id, first = key
    return {
        "campaign_id": campaign_id,
        "unit_id": unit_id,
        "main_task_id": main_task_id,
        level.column: first,
    }


def _upsert(
    level: Level, key: Key, delta: dict[str, int], after: str | None = None
) -> tuple[str, list[Any]]:
    """The upsert that adds a delta of no negative count to a row, whose conflict
    target is the expressions of the level's constraint
    (``demands.models._one_row_per_group``): its SQL and parameters. With ``after``,
    the row's values are selected from that statement of a WITH, which makes it
    run second."""
    table = level.model._meta.db_table
    names = list(COUNTS)
    additions = ", ".join(
        f"{name} = {table}.{name} + excluded.{name}" for name in names
    )
    values = ", ".join(["%s"] * (4 + len(names)))
    rows = f"VALUES ({values})" if after is None else f"SELECT {values} FROM {after}"
    return (
        f"INSERT INTO {table} (campaign_id, unit_id, main_task_id, "
        f"{level.column}, {', '.join(names)}) {rows} "
        "ON CONFLICT (campaign_id, COALESCE(unit_id, 0), "
        f"COALESCE(main_task_id, 0), {level.column}) DO UPDATE SET {additions}",
        [*key, *(delta[name] for name in names)],
    )


def _insert_or_add(level: Level, key: Key, delta: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*_upsert(level, key, delta))


def _insert_or_add_in_order(changes: list[tuple[Level, Key, dict[str, int]]]) -> None:
    """Several upserts of no negative count as one PostgreSQL statement (a round
    trip each saved), run in the order given: each takes its values from the row
    the one before it returned (a data-modifying WITH runs when its rows are read),
    so the rows are locked in the same order as one by one."""
    parts: list[str] = []
    params: list[Any] = []
    for n, (level, key, delta) in enumerate(changes):
        sql, values = _upsert(level, key, delta, after=f"s{n - 1}" if n else None)
        parts.append(sql)
        params.extend(values)
    steps = ", ".join(
        f"s{n} AS ({sql} RETURNING 1)" for n, sql in enumerate(parts[:-1])
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {steps} {parts[-1]}", params)


def _recount_key(level: Level, key: Key) -> None:
    """Count the key's row afresh from the demands (they include the change)."""
    level.model._default_manager.filter(**_key_filter(level, key)).delete()
    fields = _key_filter(level, key)
    first = fields.pop(level.column)
    assert isinstance(first, datetime.date)
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=local_zone())
    end = datetime.datetime.combine(
        level.end_of(first), datetime.time(), tzinfo=local_zone()
    )
    demands = Demand.objects.filter(
        submitted_at__gte=start, submitted_at__lt=end, **fields
    )
    level.model._default_manager.bulk_create(
        level.model(**group) for group in _grouped(demands, level)
    )


def _add(level: Level, key: Key, delta: dict[str, int]) -> None:
    if min(delta.values()) >= 0:
        _insert_or_add(level, key, delta)
        return
    rows = level.model._default_manager.filter(**_key_filter(level, key))
    try:
        with transaction.atomic():
            updated = rows.update(**{name: F(name) + delta[name] for name in COUNTS})
    except IntegrityError:  # a count would go below zero: the row was behind
        updated = 0
    if not updated:
        # written behind the actions' back (generated rows): repair it here
        _recount_key(level, key)
    else:
        rows.filter(received=0).delete()


def add_change(before: Counts | None, after: Counts | None) -> None:
    """Move a demand's counts from ``before`` to ``after`` in the rollup: its day
    rows, then its month rows."""
    changes: list[tuple[Level, Key, dict[str, int]]] = []
    for level in LEVELS:
        deltas: dict[Key, dict[str, int]] = {}
        for counts, sign in ((before, -1), (after, 1)):
            if counts is None:
                continue
            (campaign_id, unit_id, main_task_id, day), values = counts
            key = (campaign_id, unit_id, main_task_id, level.key_of(day))
            row = deltas.setdefault(key, dict.fromkeys(COUNTS, 0))
            for name in COUNTS:
                row[name] += sign * values[name]
        changed = {key: row for key, row in deltas.items() if any(row.values())}
        # one order for every writer, so two changes never wait on each other in a
        # ring: the day rows before the month rows, each sorted by key
        for key in sorted(changed, key=lambda k: (k[0], k[1] or 0, k[2] or 0, k[3])):
            changes.append((level, key, changed[key]))
    only_additions = all(min(delta.values()) >= 0 for _level, _key, delta in changes)
    if len(changes) > 1 and only_additions and connection.vendor == "postgresql":
        _insert_or_add_in_order(changes)  # a submission's day and month rows
        return
    for level, key, delta in changes:
        _add(level, key, delta)


def count_new(demand: Demand) -> None:
    """Count a demand just filed (inside the transaction that filed it): nobody has
    acted on it yet, so of ``COUNTS`` it is only received (the rollup tests check
    this against ``rebuild``)."""
    assert demand.status == DemandStatus.SUBMITTED and demand.unit_id is None
    key = (
        demand.campaign_id,
        None,
        demand.main_task_id,
        local_day(demand.submitted_at),
    )
    add_change(None, (key, {name: int(name == "received") for name in COUNTS}))


@contextlib.contextmanager
def counting(demand: Demand) -> Iterator[None]:
    """Count the change the block makes to ``demand`` (locked by the caller)."""
    before = counts_of(demand.pk)
    yield
    add_change(before, counts_of(demand.pk))


def _lock_rollup() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for level in LEVELS:
                cursor.execute(
                    f"LOCK TABLE {level.model._meta.db_table} IN EXCLUSIVE MODE"
                )


@transaction.atomic
def rebuild(campaign_id: int) -> int:
    """Recount every day of the campaign, then its months from those days; returns
    the day rows written."""
    _lock_rollup()
    DemandDayStat.objects.filter(campaign_id=campaign_id).delete()
    DemandMonthStat.objects.filter(campaign_id=campaign_id).delete()
    groups = _grouped(Demand.objects.filter(campaign_id=campaign_id))
    DemandDayStat.objects.bulk_create(
        (DemandDayStat(**group) for group in groups), batch_size=BATCH
    )
    months = (
        DemandDayStat.objects.filter(campaign_id=campaign_id)
        .annotate(first=TruncMonth("day"))
        .order_by()
        .values("campaign_id", "unit_id", "main_task_id", "first")
        .annotate(**{f"sum_{name}": Sum(name) for name in COUNTS})
    )
    DemandMonthStat.objects.bulk_create(
        (
            DemandMonthStat(
                campaign_id=group["campaign_id"],
                unit_id=group["unit_id"],
                main_task_id=group["main_task_id"],
                month=group["first"],
                **{name: group[f"sum_{name}"] for name in COUNTS},
            )
            for group in months
        ),
        batch_size=BATCH,
    )
    return DemandDayStat.objects.filter(campaign_id=campaign_id).count()
