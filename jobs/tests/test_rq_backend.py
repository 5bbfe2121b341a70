"""With SANFU_TASKS_BACKEND=rq a job waits in Redis until an RQ worker (``manage.py
rqworker sanfu sanfu_long``, on any host) takes it."""

import os
from collections.abc import Iterator
from typing import Any

import django_rq
import pytest
from django.urls import reverse
from django_tasks_rq.backend import Job as RQJob
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import SimpleWorker
from rq.queue import Queue

from conftest import World
from jobs.models import Job, JobState
from ledgers.tests.conftest import make_problem

pytestmark = pytest.mark.django_db

# a database of its own on the local Redis server, emptied before and after
REDIS_URL = os.environ.get("SANFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_tasks(settings: Any) -> Iterator[list[Queue]]:
    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisConnectionError:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    settings.RQ_QUEUES = {
        name: {"URL": REDIS_URL} for name in settings.SANFU_TASK_QUEUES
    }
    settings.TASKS = {
        **settings.TASKS,
        "sanfu": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": settings.SANFU_TASK_QUEUES,
        },
    }
    queues = [
        django_rq.get_queue(name, job_class=RQJob)
        for name in settings.SANFU_TASK_QUEUES
    ]
    for queue in queues:
        queue.empty()
    yield queues
    for queue in queues:
        queue.empty()


def test_a_queued_export_is_done_by_an_rq_worker(
    world: World,
    login: Any,
    rq_tasks: list[Queue],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_problem(world, description="窗口排隊過長")
    client = login(world.liaison_a)
    query = f"ledger=problems&campaign={world.campaign.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{reverse('jobs_start', args=['ledgers_export'])}?{query}")
    job = Job.objects.get()
    assert job.state == JobState.QUEUED
    long_queue = next(queue for queue in rq_tasks if queue.name == "sanfu_long")
    assert long_queue.count == 1

    worker = SimpleWorker(rq_tasks, connection=long_queue.connection, job_class=RQJob)
    worker.work(burst=True)

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert long_queue.count == 0
