"""The demands' sweep as a task, for a clock that only queues (``run_periodic
--enqueue``) while the worker does the work."""

import dataclasses

from django.utils import timezone
from django_tasks import task

from demands.sweeps import sweep


@task(backend="sanfu", queue_name="sanfu")
def sweep_demands() -> dict[str, int]:
    """Yellow and red cards (reminders, circulars), unrated demands closed, return
    visits scheduled, personal data past its retention erased."""
    return dataclasses.asdict(sweep(timezone.now()))
