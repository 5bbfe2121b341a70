"""``run_periodic --enqueue``: the clock queues the demands' and the ledgers' sweeps
and the task worker runs them."""

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

# Committed for real: the worker closes and reopens its connection between tasks
# (on PostgreSQL that would end a test wrapped in one transaction).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_clock_queues_the_sweeps_and_the_worker_runs_them(
    database_tasks: Callable[[str], None], django_capture_on_commit_callbacks: Any
) -> None:
    out = StringIO()
    call_command("run_periodic", "--once", "--enqueue", stdout=out)
    assert "sweep_demands: queued" in out.getvalue()
    queued = DBTaskResult.objects.order_by("task_path")
    assert [(row.task_path, row.queue_name) for row in queued] == [
        ("demands.tasks.find_hotspots", "sanfu"),
        ("demands.tasks.retrain_routing", "sanfu"),
        ("demands.tasks.sweep_demands", "sanfu"),
        ("ledgers.tasks.sweep_ledgers", "sanfu"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        database_tasks("sanfu")
    done = {row.task_path: row for row in DBTaskResult.objects.all()}
    assert {row.status for row in done.values()} == {"SUCCESSFUL"}
    assert done["ledgers.tasks.sweep_ledgers"].return_value == {"near": 0, "passed": 0}
    assert set(done["demands.tasks.sweep_demands"].return_value) >= {
        "closed_unrated",
        "reminders",
        "circulars",
    }
