"""The figures' rollup: ``DemandDayStat`` rows, the counts of ``demands.metrics``
per campaign, unit, main task and day of submission.

A demand counts on the day it was submitted, whatever happens to it later, so a
transition moves the demand's counts between at most two rows of that day (the
unit's row changes when it is dispatched or returned). The actions add the change
in their own transaction (``counting``, ``count_new``): the demand's counts are read
from its row before and after, by the same SQL as the figures (``COUNTS``), and the
difference is added to the rows with one upsert each. Intake thus costs a few
indexed statements whatever the day's volume, and the rollup commits or rolls back
with the change it counts.

``rebuild`` recounts a campaign from its demands (a repair, and for generated data).
On PostgreSQL it first locks the rollup's table in EXCLUSIVE mode: it waits for the
changes that wrote their counts and have not committed (it then reads their demands
as committed), and the changes that come to write meanwhile wait for it (they then
add their difference to the rebuilt rows): none is counted twice or lost. SQLite
has one writer at a time anyway.
"""

import contextlib
import datetime
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import TruncDate

from demands.metrics import COUNTS, count_aggregates
from demands.models import Demand, DemandDayStat, DemandStatus

BATCH = 5_000

# (campaign, unit, main task, day): one rollup row
Key = tuple[int, int | None, int | None, datetime.date]
Counts = tuple[Key, dict[str, int]]


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime) -> datetime.date:
    """The rollup's day of ``moment``: its date in ``settings.TIME_ZONE``."""
    return moment.astimezone(local_zone()).date()


def _grouped(demands: QuerySet[Demand]) -> QuerySet[Demand, dict]:
    return (
        demands.order_by()
        .annotate(day=TruncDate("submitted_at", tzinfo=local_zone()))
        .values("campaign_id", "unit_id", "main_task_id", "day")
        .annotate(**count_aggregates())
    )


def counts_of(demand_pk: int) -> Counts | None:
    """The demand's row key and counts, by the figures' own SQL."""
    for group in _grouped(Demand.objects.filter(pk=demand_pk)):
        key = (
            group.pop("campaign_id"),
            group.pop("unit_id"),
            group.pop("main_task_id"),
            group.pop("day"),
        )
        return key, group
    return None


def _key_filter(key: Key) -> dict[str, object]:
    campaign_id, unit_id, main_task_id, day = key
    return {
        "campaign_id": campaign_id,
        "unit_id": unit_id,
        "main_task_id": main_task_id,
        "day": day,
    }


def _insert_or_add(key: Key, delta: dict[str, int]) -> None:
    """Add a delta of no negative count: one upsert, whose conflict target is the
    expressions of the constraint one_demand_day_stat_per_group."""
    table = DemandDayStat._meta.db_table
    names = list(COUNTS)
    additions = ", ".join(
        f"{name} = {table}.{name} + excluded.{name}" for name in names
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (campaign_id, unit_id, main_task_id, day, "
            f"{', '.join(names)}) VALUES (%s, %s, %s, %s, "
            f"{', '.join(['%s'] * len(names))}) "
            "ON CONFLICT (campaign_id, COALESCE(unit_id, 0), "
            f"COALESCE(main_task_id, 0), day) DO UPDATE SET {additions}",
            [*key, *(delta[name] for name in names)],
        )


def _recount_key(key: Key) -> None:
    """Count the key's row afresh from the demands (they include the change)."""
    rows = DemandDayStat.objects.filter(**_key_filter(key))
    rows.delete()
    fields = _key_filter(key)
    day = fields.pop("day")
    assert isinstance(day, datetime.date)
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=local_zone())
    demands = Demand.objects.filter(
        submitted_at__gte=start,
        submitted_at__lt=start + datetime.timedelta(days=1),
        **fields,
    )
    DemandDayStat.objects.bulk_create(
        DemandDayStat(**group) for group in _grouped(demands)
    )


def _add(key: Key, delta: dict[str, int]) -> None:
    if min(delta.values()) >= 0:
        _insert_or_add(key, delta)
        return
    rows = DemandDayStat.objects.filter(**_key_filter(key))
    try:
        with transaction.atomic():
            updated = rows.update(**{name: F(name) + delta[name] for name in COUNTS})
    except IntegrityError:  # a count would go below zero: the row was behind
        updated = 0
    if not updated:
        # written behind the actions' back (generated rows): repair it here
        _recount_key(key)
    else:
        rows.filter(received=0).delete()


def add_change(before: Counts | None, after: Counts | None) -> None:
    """Move a demand's counts from ``before`` to ``after`` in the rollup."""
    deltas: dict[Key, dict[str, int]] = {}
    for counts, sign in ((before, -1), (after, 1)):
        if counts is None:
            continue
        key, values = counts
        row = deltas.setdefault(key, dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            row[name] += sign * values[name]
    changed = {key: row for key, row in deltas.items() if any(row.values())}
    if not changed:
        return
    # one order for every writer, so two changes never wait on each other in a ring
    for key in sorted(changed, key=lambda k: (k[0], k[1] or 0, k[2] or 0, k[3])):
        _add(key, changed[key])


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
            cursor.execute(
                f"LOCK TABLE {DemandDayStat._meta.db_table} IN EXCLUSIVE MODE"
            )


@transaction.atomic
def rebuild(campaign_id: int) -> int:
    """Recount every day of the campaign; returns the rows written."""
    _lock_rollup()
    DemandDayStat.objects.filter(campaign_id=campaign_id).delete()
    groups = _grouped(Demand.objects.filter(campaign_id=campaign_id))
    DemandDayStat.objects.bulk_create(
        (DemandDayStat(**group) for group in groups), batch_size=BATCH
    )
    return DemandDayStat.objects.filter(campaign_id=campaign_id).count()
