"""The figures' rollup: ``DemandDayStat`` rows, the counts of ``demands.metrics``
per campaign, unit, main task and day of submission.

A demand counts on the day it was submitted, whatever happens to it later, so a
transition only changes the rows of that one day: the actions recount it once they
commit (``refresh_on_commit``). Every write locks the campaign's row first, so two
recounts of one campaign run one after the other and the later one, reading after
the earlier commits, never leaves a stale count behind.
"""

import datetime
import functools
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate

from campaigns.models import Campaign
from demands.metrics import count_aggregates
from demands.models import Demand, DemandDayStat

BATCH = 5_000


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime) -> datetime.date:
    """The rollup's day of ``moment``: its date in ``settings.TIME_ZONE``."""
    return moment.astimezone(local_zone()).date()


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=local_zone())


def _lock(campaign_id: int) -> None:
    # FOR NO KEY UPDATE: serialises the rollup's writers without blocking the
    # inserts of new demands, whose foreign key takes FOR KEY SHARE on this row.
    list(
        Campaign.objects.select_for_update(no_key=True)
        .filter(pk=campaign_id)
        .values_list("pk", flat=True)
    )


def _recount(demands: QuerySet[Demand], campaign_id: int) -> None:
    """One grouped aggregate over ``demands``, written as day rows."""
    groups = (
        demands.order_by()
        .annotate(day=TruncDate("submitted_at", tzinfo=local_zone()))
        .values("unit_id", "main_task_id", "day")
        .annotate(**count_aggregates())
    )
    DemandDayStat.objects.bulk_create(
        (DemandDayStat(campaign_id=campaign_id, **group) for group in groups),
        batch_size=BATCH,
    )


@transaction.atomic
def refresh_days(campaign_id: int, days: Iterable[datetime.date]) -> None:
    """Recount the rows of ``days`` of the campaign from its demands."""
    wanted = sorted(set(days))
    if not wanted:
        return
    _lock(campaign_id)
    DemandDayStat.objects.filter(campaign_id=campaign_id, day__in=wanted).delete()
    submitted = Q()
    for day in wanted:
        submitted |= Q(
            submitted_at__gte=_start_of(day),
            submitted_at__lt=_start_of(day + datetime.timedelta(days=1)),
        )
    _recount(Demand.objects.filter(submitted, campaign_id=campaign_id), campaign_id)


@transaction.atomic
def rebuild(campaign_id: int) -> int:
    """Recount every day of the campaign; returns the rows written."""
    _lock(campaign_id)
    DemandDayStat.objects.filter(campaign_id=campaign_id).delete()
    _recount(Demand.objects.filter(campaign_id=campaign_id), campaign_id)
    return DemandDayStat.objects.filter(campaign_id=campaign_id).count()


def refresh_on_commit(demand: Demand) -> None:
    """Recount the demand's day once the transaction that changed it commits (a
    recount inside it would hold the campaign's lock until then)."""
    transaction.on_commit(
        functools.partial(
            refresh_days, demand.campaign_id, [local_day(demand.submitted_at)]
        )
    )
