"""Audit records are append-only: neither the models nor the database let one be
changed or removed, and each says from which address it was written."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from audit.actions import record
from audit.trail import AppendOnly

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):  # type: ignore[no-untyped-def]
    record(world.unit_a, "sanfu.unit.create", actor=world.director, data={"a": 1})
    return ModelLogEntry.objects.get(action="sanfu.unit.create")


def test_a_saved_entry_cannot_be_saved_again(entry):
    entry.data = {"a": 2}
    with pytest.raises(AppendOnly), transaction.atomic():
        entry.save()
    entry.refresh_from_db()
    assert entry.data["a"] == 1


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnly), transaction.atomic():
        entry.delete()
    with pytest.raises(AppendOnly), transaction.atomic():
        ModelLogEntry.objects.filter(pk=entry.pk).delete()
    assert ModelLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change", [{"data": {"a": 2}}, {"action": "sanfu.unit.edit"}, {"user": None}]
)
def test_the_database_refuses_an_update_that_bypasses_the_models(entry, change):
    with pytest.raises(DatabaseError), transaction.atomic():
        ModelLogEntry.objects.filter(pk=entry.pk).update(**change)
    entry.refresh_from_db()
    assert entry.data["a"] == 1
    assert entry.action == "sanfu.unit.create"


def test_the_database_refuses_an_update_of_a_page_entry(world):  # type: ignore[no-untyped-def]
    from publicity.tests.conftest import build_column

    build_column(world)
    assert PageLogEntry.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        PageLogEntry.objects.update(action="wagtail.edit")


def test_wagtail_may_still_flag_an_entry_deleted(entry):
    ModelLogEntry.objects.filter(pk=entry.pk).update(deleted=True)
    entry.refresh_from_db()
    assert entry.deleted


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's test flush deletes rows"
)
def test_postgresql_refuses_a_raw_delete(entry):
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        sql = "DELETE FROM wagtailcore_modellogentry WHERE id = %s"
        cursor.execute(sql, [entry.pk])
    assert ModelLogEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_written_in_a_request_carries_the_clients_address(login, world):
    client = login(world.director)
    response = client.post(
        reverse("unit:add"),
        {"organisation": world.organisation.pk, "name": "丙處", "kind": "department"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code in (200, 302)
    entry = ModelLogEntry.objects.filter(action="sanfu.unit.create").latest("pk")
    assert entry.data["address"] == "203.0.113.7"
    assert entry.user_id == world.director.pk


def test_an_entry_written_outside_a_request_has_no_address(entry):
    assert "address" not in entry.data
