"""Many clients at once, through a real server: every submission is stored once."""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from demands import rollup
from demands.models import Demand
from demands.tests.test_rollup import assert_rollup_is_live, stat_rows

CLIENTS = 8
DEMANDS = 200


def post(url: str, body: dict, key: str) -> dict:
    """Post until answered: a failure (503 on a busy database, a dropped
    connection) is retried with the same Idempotency-Key, so a retry cannot file a
    second demand."""
    data = json.dumps(body).encode()
    for attempt in range(20):
        request = urllib.request.Request(
            url,
            data=data,
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 201
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code not in (429, 503):
                raise AssertionError(f"{error.code}: {error.read()!r}") from error
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.05 * (attempt + 1))
    raise AssertionError("no answer after 20 attempts")


@pytest.fixture
def isolated_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the in-memory SQLite test database the live server's threads share one
    connection, which cannot keep concurrent transactions apart; there the server
    takes one request at a time (SQLite's IMMEDIATE transactions serialise writers
    anyway). On PostgreSQL, or a SQLite file, the requests run concurrently."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]
    if not in_memory:
        return
    lock = threading.Lock()
    handle = WSGIHandler.__call__

    def one_at_a_time(self, environ, start_response):  # type: ignore[no-untyped-def]
        with lock:
            return handle(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", one_at_a_time)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_200_concurrent_submissions_are_all_stored_with_distinct_numbers(
    live_server, isolated_requests, world, settings
):
    settings.SANFU_API_RATE_LIMITS = {"submit": (10_000, 60)}
    url = f"{live_server.url}/api/v1/demands"

    def submit(n: int) -> dict:
        body = {
            "campaign": world.campaign.slug,
            "kind": "help",
            "title": f"第{n}件訴求",
            "content": f"並發提交的第{n}件訴求。",
        }
        return post(url, body, str(uuid.uuid4()))

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(submit, range(DEMANDS)))

    numbers = {answer["tracking_no"] for answer in answers}
    assert len(numbers) == DEMANDS
    assert Demand.objects.count() == DEMANDS
    stored = set(Demand.objects.values_list("tracking_no", flat=True))
    assert stored == numbers
    # every submission added its +1 to the same rollup row, concurrently: none lost
    assert_rollup_is_live(world.campaign)
    incremental = stat_rows(world.campaign)
    assert sum(row["received"] for row in incremental.values()) == DEMANDS
    rollup.rebuild(world.campaign.pk)
    assert stat_rows(world.campaign) == incremental
