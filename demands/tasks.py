"""Background work on demands: each task takes primary keys and calls an action.
The sweep is a task too, for a clock that only queues (``run_periodic --enqueue``)
while the worker does the work."""

import dataclasses

from django.utils import timezone
from django_tasks import task

from demands import actions, duplicates
from demands.models import Demand
from demands.sweeps import sweep


@task(backend="sanfu", queue_name="sanfu")
def flag_possible_duplicate(demand_pk: int) -> None:
    demand = Demand.objects.filter(pk=demand_pk).only(*duplicates.READS).first()
    if demand is not None:  # gone meanwhile: nothing to flag
        actions.flag_possible_duplicate(demand)


@task(backend="sanfu", queue_name="sanfu")
def sweep_demands() -> dict[str, int]:
    """Yellow and red cards (reminders, circulars), unrated demands closed, return
    visits scheduled, personal data past its retention erased."""
    return dataclasses.asdict(sweep(timezone.now()))
