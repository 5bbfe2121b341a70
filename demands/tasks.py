"""Background work on demands: each task takes primary keys (or none) and calls an
action. The sweep is a task too, for a clock that only queues (``run_periodic
--enqueue``) while the worker does the work."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from demands import actions, duplicates, sweeps
from demands.models import Demand


@task(backend="sanfu", queue_name="sanfu")
def flag_possible_duplicate(demand_pk: int) -> None:
    demand = Demand.objects.filter(pk=demand_pk).only(*duplicates.READS).first()
    if demand is not None:  # gone meanwhile: nothing to flag
        actions.flag_possible_duplicate(demand)


@task(backend="sanfu", queue_name="sanfu")
def suggest_routing(demand_pk: int) -> None:
    from demands.routing.actions import suggest_routing

    demand = Demand.objects.filter(pk=demand_pk).select_related("campaign").first()
    if demand is not None:
        suggest_routing(demand)


@task(backend="sanfu", queue_name="sanfu")
def retrain_routing() -> int:
    from demands.routing.actions import retrain_campaigns

    return retrain_campaigns()


@task(backend="sanfu", queue_name="sanfu")
def find_hotspots() -> int:
    from demands.hotspots.actions import find_weekly

    return find_weekly()


@task(backend="sanfu", queue_name="sanfu")
def check_new_demands() -> int:
    return actions.check_new_demands()


logger = logging.getLogger(__name__)
DUPLICATE_CHECK_QUEUED = "sanfu:demands:duplicate-check-queued"


def schedule_duplicate_check() -> None:
    """Make sure a check of the new demands runs a little after now (called once a
    submission committed): the first submission of a few seconds queues it to run
    when they are over, the others find it queued. A submission that finds the mark
    was committed before the mark runs out, and the check the mark stands for starts
    after that, so it sees the demand. The mark is kept in the cache: with a shared one
    (Redis) one check serves every process, with a cache of each process's own
    each process queues its own. If the queue fails after the mark was made, the
    demands sweep checks what was left (``sweeps.check_left_demands``)."""
    seconds = settings.SANFU_DEMANDS["DUPLICATE_CHECK_SECONDS"]
    if not seconds:  # no mark: each submission queues a check to run now
        check_new_demands.enqueue()
        return
    try:
        first = cache.add(DUPLICATE_CHECK_QUEUED, True, timeout=seconds)
    except Exception:  # the cache is out of reach: queue one all the same
        logger.warning("duplicate check: cache unavailable", exc_info=True)
        first = True
    if first:
        # one second more than the mark lives, for clocks of two processes apart
        after = timezone.now() + datetime.timedelta(seconds=seconds + 1)
        check_new_demands.using(run_after=after).enqueue()


@task(backend="sanfu", queue_name="sanfu")
def sweep_demands() -> dict[str, int]:
    """Yellow and red cards (reminders, circulars), unrated demands closed, return
    visits scheduled, personal data past its retention erased, lost duplicate
    checks made up."""
    return dataclasses.asdict(sweeps.sweep(timezone.now()))
