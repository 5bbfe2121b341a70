"""With SANFU_TASKS_BACKEND=database a job waits in django-tasks-db's table until a
worker (``manage.py db_worker --backend sanfu``) takes it."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import World
from jobs.models import Job, JobState
from ledgers.tests.conftest import make_problem

# Committed for real: the worker closes and reopens its connection between tasks
# (on PostgreSQL that would end a test wrapped in one transaction).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _prepare(client: Any, capture: Any, kind: str, query: str) -> Job:
    with capture(execute=True):
        response = client.post(f"{reverse('jobs_start', args=[kind])}?{query}")
    assert response.status_code == 302
    return Job.objects.get()


def test_a_queued_export_is_done_by_one_run_of_the_worker(
    world: World,
    login: Any,
    database_tasks: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_problem(world, description="窗口排隊過長")
    client = login(world.liaison_a)
    job = _prepare(
        client,
        django_capture_on_commit_callbacks,
        "ledgers_export",
        f"ledger=problems&campaign={world.campaign.pk}",
    )
    assert job.state == JobState.QUEUED
    waiting = DBTaskResult.objects.get()
    assert (waiting.backend_name, waiting.queue_name) == ("sanfu", "sanfu_long")
    assert client.get(reverse("jobs_status", args=[job.pk])).json()["percent"] == 0

    database_tasks()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    response = client.get(reverse("jobs_download", args=[job.pk]))
    assert response.status_code == 200
    response.close()


def test_a_right_withdrawn_before_the_worker_runs_fails_the_job_with_why(
    world: World,
    login: Any,
    database_tasks: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _prepare(
        login(world.director),
        django_capture_on_commit_callbacks,
        "publicity_stats",
        f"campaign={world.campaign.pk}",
    )
    world.director.positions.all().delete()

    database_tasks()

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message
    assert not job.result


def test_the_worker_waits_out_a_page_reading_the_shared_test_database(
    world: World,
    login: Any,
    database_tasks: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The browser tests' live server reads the in-memory SQLite database from its
    own thread while the test runs the worker: a statement still reading there made
    the worker's ``BEGIN EXCLUSIVE`` fail with "database table is locked"."""
    if not getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.skip("SQLite's shared cache only")
    make_problem(world, description="窗口排隊過長")
    job = _prepare(
        login(world.liaison_a),
        django_capture_on_commit_callbacks,
        "ledgers_export",
        f"ledger=problems&campaign={world.campaign.pk}",
    )
    reading, release = threading.Event(), threading.Event()

    def a_page_reading() -> None:
        # a connection of this thread's own, as the live server's threads have
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT id FROM django_migrations")
            cursor.fetchone()  # the statement is still reading
            reading.set()
            release.wait(5)
        connections["default"].close()

    reader = threading.Thread(target=a_page_reading)
    reader.start()
    assert reading.wait(5)
    threading.Timer(0.3, release.set).start()

    database_tasks()

    reader.join()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
