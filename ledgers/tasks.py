"""The ledgers' deadline sweep as a task, for a clock that only queues
(``run_periodic --enqueue``) while the worker does the work."""

import dataclasses

from django.utils import timezone
from django_tasks import task

from ledgers.sweeps import sweep


@task(backend="sanfu", queue_name="sanfu")
def sweep_ledgers() -> dict[str, int]:
    """Near and passed deadlines of measures, deeds and decisions, told once."""
    return dataclasses.asdict(sweep(timezone.now()))
