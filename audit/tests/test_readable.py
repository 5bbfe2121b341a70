"""The trail in words: labels for data keys, names for ids, yes and no."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from audit.actions import record
from audit.readable import Wording
from audit_search import search
from demands import actions
from demands.models import Demand
from demands.tests.factories import CategoryFactory, submit_test_demand
from ledgers.models import Problem

pytestmark = pytest.mark.django_db


def _entry(demand: Demand, data: dict) -> ModelLogEntry:  # type: ignore[type-arg]
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Demand),
        object_id=str(demand.pk),
        label=demand.tracking_no,
        action="wagtail.edit",
        timestamp=timezone.now(),
        data=data,
    )


def test_data_keys_are_labelled_and_ids_named(world):
    demand = submit_test_demand(world)
    entry = _entry(
        demand,
        {
            "unit": world.unit_a.pk,
            "demand": demand.pk,
            "approved": True,
            "changes": {
                "unit_id": [None, world.unit_b.pk],
                "allow_publish": [False, True],
            },
        },
    )
    with translation.override("en"):
        row = search.to_row(entry)
    assert f"Demand: {demand.tracking_no}" in row.details
    assert "Approved: Yes" in row.details
    assert ": No → Yes" in row.details
    assert f"— → {world.unit_b.name}" in row.details
    assert f"→ {world.unit_b.pk}" not in row.details
    assert "demand:" not in row.details


def test_a_person_is_named_by_user_name_and_a_deleted_object_marked(world):
    demand = submit_test_demand(world)
    category = CategoryFactory.create(campaign=world.campaign, name="臨時")
    category_pk = category.pk
    category.delete()
    entry = _entry(demand, {"changes": {"category_id": [category_pk, None]}})
    problem = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Problem),
        object_id="1",
        label="x",
        action="wagtail.edit",
        timestamp=timezone.now(),
        data={"changes": {"created_by_id": [None, world.clerk.pk]}},
    )
    with translation.override("en"):
        row = search.to_row(entry)
        created = search.to_row(problem)
    assert "(deleted) → —" in row.details
    assert created.details == f"Created by: — → {world.clerk.username}"


def test_a_hidden_value_stays_hidden(world):
    demand = submit_test_demand(world)
    entry = _entry(demand, {"changes": {"submitter_id": ["***", ""]}})
    assert "*** → " in search.to_row(entry).details


def test_the_names_of_a_page_are_looked_up_once_per_model(world):
    demands = [submit_test_demand(world) for _ in range(5)]
    entries = [
        _entry(demand, {"demand": demand.pk, "changes": {"unit_id": [None, unit.pk]}})
        for demand in demands
        for unit in (world.unit_a, world.unit_b)
    ]
    wording = Wording()
    models = [(Demand, entry.data) for entry in entries]
    with CaptureQueriesContext(connection) as queries:
        wording.prefetch(models)
        rows = [search.to_row(entry, wording) for entry in entries]
    # one query for the demands, one for the units; nothing per row
    assert len(queries) == 2
    assert all(
        world.unit_a.name in row.details or world.unit_b.name in row.details
        for row in rows
    )


def test_the_audit_page_shows_no_raw_keys_or_ids(login, world):
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)
    record(demand, "wagtail.edit", actor=world.clerk, data={"demand": demand.pk})
    UserProfile.objects.create(user=world.director, preferred_language="en")
    page = login(world.director).get(reverse("audit_search")).content.decode()
    assert f"demand: {demand.pk}" not in page
    assert f"Demand: {demand.tracking_no}" in page


def test_a_demands_history_names_the_unit(login, world):
    demand = submit_test_demand(world)
    actions.dispatch_demand(demand, world.unit_a, actor=world.clerk)
    actions.accept_demand(demand, actor=world.liaison_a)
    page = login(world.clerk).get(reverse("demands_office:detail", args=[demand.pk]))
    text = page.content.decode()
    with translation.override("zh-hans"):
        label = str(Demand._meta.get_field("unit").verbose_name)
    assert f"{label}: {world.unit_a.pk}<" not in text
    assert f"单位: {world.unit_a.pk}<" not in text
    assert f": {world.unit_a.name}</small>" in text
