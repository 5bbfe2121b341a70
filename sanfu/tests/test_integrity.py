"""Concurrency and integrity: two handlers at once get one success and one conflict;
the database itself backs the rules that matter.

Numbers that must never collide are tested where they are made: tracking numbers
under 200 concurrent submissions (``api/tests/test_concurrency.py``), briefing issue
numbers under concurrent publication
(``publicity/tests/briefings/test_concurrent_publish.py``).
"""

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from core.errors import Conflict
from demands import actions
from demands.models import Demand, DemandStatus
from demands.tests.factories import submit_test_demand
from ledgers.models import DeedRating
from ledgers.tests.conftest import make_deed


def _race(*steps: Any) -> list[Any]:
    """Run each step in its own thread and connection, released together; the
    result or the exception of each."""
    barrier = threading.Barrier(len(steps))
    results: list[Any] = [None] * len(steps)

    def run(index: int, step: Any) -> None:
        try:
            barrier.wait()
            results[index] = step()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, step))
        for index, step in enumerate(steps)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


needs_real_connections = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database is one connection for all threads",
)


@needs_real_connections
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_handlers_accepting_one_demand_at_once_get_one_conflict(world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)

    def accept(person: Any) -> Any:
        return lambda: actions.accept_demand(
            Demand.objects.get(pk=demand.pk), actor=person
        )

    results = _race(accept(world.liaison_a), accept(world.head_a))
    assert sorted(type(result).__name__ for result in results) == [
        "Conflict",
        "Demand",
    ]
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ACCEPTED


@needs_real_connections
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_office_dispatching_while_the_unit_returns_applies_one(world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)

    def reply() -> Any:
        return actions.reply_demand(
            Demand.objects.get(pk=demand.pk),
            reply="已疏通",
            solved=True,
            actor=world.liaison_a,
        )

    def give_back() -> Any:
        return actions.return_demand(
            Demand.objects.get(pk=demand.pk), reason="非本處職責", actor=world.head_a
        )

    results = _race(reply, give_back)
    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert sum(isinstance(result, Demand) for result in results) == 1


@pytest.mark.django_db
def test_a_stale_copy_cannot_apply_a_transition_twice(world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    stale = Demand.objects.get(pk=demand.pk)
    actions.accept_demand(demand, actor=world.liaison_a)
    with pytest.raises(Conflict):
        actions.accept_demand(stale, actor=world.head_a)


@pytest.mark.django_db
def test_the_database_refuses_a_second_reopening(world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Demand.objects.filter(pk=demand.pk).update(reopen_count=2)


@pytest.mark.django_db
def test_the_database_refuses_a_second_pending_extension(world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)
    actions.request_extension(demand, days=3, reason="需協調", actor=world.liaison_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        demand.extension_requests.create(
            days=2, reason="再延", requested_by=world.liaison_a
        )


@pytest.mark.django_db
def test_the_database_refuses_a_second_rating_by_one_rater(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    deed = make_deed(world)
    DeedRating.objects.create(deed=deed, rater="k1", score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeedRating.objects.create(deed=deed, rater="k1", score=1)


@pytest.mark.django_db
def test_the_database_refuses_a_repeated_tracking_number(world):  # type: ignore[no-untyped-def]
    demand = submit_test_demand(world)
    other = submit_test_demand(world, title="另一件")
    with pytest.raises(IntegrityError), transaction.atomic():
        Demand.objects.filter(pk=other.pk).update(tracking_no=demand.tracking_no)
