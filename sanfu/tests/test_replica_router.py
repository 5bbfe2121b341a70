"""With a read replica configured, the views named in DATABASE_REPLICA_VIEWS read
from it; writes, every other view, and a browser that has just written stay on the
primary. The replica here is a second connection to the test database."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demands.models import Demand
from sanfu import db_router
from sanfu.middleware import PRIMARY_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # connections.settings is settings.DATABASES, with the test database's name
    monkeypatch.setitem(
        settings.DATABASES,
        db_router.REPLICA,
        dict(connections["default"].settings_dict),
    )
    cache.clear()  # rate limits
    # Connected here, past the test case's guard against undeclared aliases (a
    # declared one would be wrapped in a transaction of its own).
    connections[db_router.REPLICA].connect()
    yield
    connections[db_router.REPLICA].close()
    del connections[db_router.REPLICA]


# committed rows: SQLite's shared cache locks what another connection has written
# and not committed (PostgreSQL would show the replica the rows as they were)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_listed_view_reads_from_the_replica(client, world, replica) -> None:  # type: ignore[no-untyped-def]
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[db_router.REPLICA]) as on_replica,
    ):
        response = client.get(reverse("demands:replied"))
    assert response.status_code == 200
    assert on_replica.captured_queries
    assert primary.captured_queries == []
    assert PRIMARY_COOKIE not in response.cookies


def test_other_views_read_from_the_primary(client, world, replica) -> None:  # type: ignore[no-untyped-def]
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[db_router.REPLICA]) as on_replica,
    ):
        response = client.get(
            reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})
        )
    assert response.status_code == 200
    assert primary.captured_queries
    assert on_replica.captured_queries == []


def test_a_write_keeps_the_browser_on_the_primary_for_a_while(
    client, world, replica
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})
    data = {
        "kind": "help",
        "urgency": "normal",
        "title": "村口水渠堵塞",
        "content": "雨季將至，村口水渠堵塞，請幫助疏通。",
        "location": "白雲區某村",
    }
    with CaptureQueriesContext(connections[db_router.REPLICA]) as on_replica:
        response = client.post(url, data)
        assert response.status_code == 302
        assert Demand.objects.count() == 1
        cookie = response.cookies[PRIMARY_COOKIE]
        assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
        assert cookie["httponly"]
        # the next list the browser reads comes from the primary
        listed = client.get(reverse("demands:replied"))
    assert listed.status_code == 200
    assert on_replica.captured_queries == []


def test_without_a_replica_nothing_changes(client, world) -> None:  # type: ignore[no-untyped-def]
    assert db_router.REPLICA not in settings.DATABASES
    response = client.get(reverse("demands:replied"))
    assert response.status_code == 200
    assert PRIMARY_COOKIE not in response.cookies


def test_the_first_write_pins_the_rest_of_the_request(replica) -> None:
    router = db_router.ReplicaRouter()
    state, token = db_router.begin_request()
    try:
        state.replica_allowed = True
        assert router.db_for_read(Demand) == db_router.REPLICA
        assert router.db_for_write(Demand) == "default"
        assert router.db_for_read(Demand) == "default"
    finally:
        db_router.end_request(token)
    # outside a request (commands, tasks): the primary
    assert router.db_for_read(Demand) == "default"


def test_the_replica_is_never_migrated() -> None:
    router = db_router.ReplicaRouter()
    assert router.allow_migrate(db_router.REPLICA, "demands") is False
    assert router.allow_migrate("default", "demands") is True
