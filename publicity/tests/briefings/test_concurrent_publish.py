"""Two editors publishing at once get different, consecutive numbers.

The first publisher is held inside its transaction, just after taking its number,
until the second one is seen waiting for the lock (on PostgreSQL, in
pg_stat_activity; SQLite holds its write lock from BEGIN IMMEDIATE, so the second
cannot even start its transaction); then both finish."""

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from publicity.briefings import actions, numbering
from publicity.models import BriefingCounter, BriefingPage

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The test database of SQLite is in memory with a shared cache, where a second
    # connection fails at once ("table is locked") instead of waiting; a file
    # database (the real one) waits at BEGIN IMMEDIATE. See test_locking_path.py.
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="threads need PostgreSQL here"
    ),
]

WAIT_LIMIT = 20.0


def others_waiting_on_a_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def run_publishes(monkeypatch, pages: list[BriefingPage], actor: Any) -> list[Any]:
    first_holds_its_number = threading.Event()
    release_first = threading.Event()
    real_record = numbering.record
    holder: list[str] = []

    def record(*args: Any, **kwargs: Any) -> None:
        real_record(*args, **kwargs)
        if not holder:
            holder.append(threading.current_thread().name)
            first_holds_its_number.set()
            release_first.wait(WAIT_LIMIT)

    monkeypatch.setattr(numbering, "record", record)
    results: dict[str, Any] = {}

    def publish(name: str, page: BriefingPage) -> None:
        try:
            page = BriefingPage.objects.get(pk=page.pk)
            results[name] = actions.publish_briefing(
                page, revision_id=page.latest_revision_id, actor=actor
            ).issue_number
        except Exception as error:
            results[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=publish, args=("first", pages[0]), name="first")
    second = threading.Thread(target=publish, args=("second", pages[1]), name="second")
    first.start()
    assert first_holds_its_number.wait(WAIT_LIMIT)
    second.start()
    deadline = time.monotonic() + WAIT_LIMIT
    while not others_waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    release_first.set()
    first.join(WAIT_LIMIT)
    second.join(WAIT_LIMIT)
    return [results.get("first"), results.get("second")]


def test_two_briefings_published_at_once_get_consecutive_numbers(
    monkeypatch, world, column, articles
):
    pages = [
        actions.create_briefing(
            column, title=f"簡報{n}", text="", articles=articles, actor=world.editor
        )
        for n in (1, 2)
    ]
    numbers = run_publishes(monkeypatch, pages, world.editor)
    assert numbers == [1, 2]
    assert BriefingCounter.objects.get(campaign=world.campaign).last_issue == 2


def test_one_briefing_published_twice_at_once_takes_one_number(
    monkeypatch, world, column, articles
):
    page = actions.create_briefing(
        column, title="簡報", text="", articles=articles, actor=world.editor
    )
    outcomes = run_publishes(monkeypatch, [page, page], world.editor)
    # The second publisher read the revision before the first committed: it is
    # either refused as a lost race or republishes the same issue, never a new one.
    assert outcomes[0] == 1
    assert outcomes[1] == 1 or type(outcomes[1]).__name__ == "Conflict"
    assert BriefingPage.objects.get(pk=page.pk).issue_number == 1
    assert BriefingCounter.objects.get(campaign=world.campaign).last_issue == 1
