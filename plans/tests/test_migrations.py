"""The plan models moved from campaigns without touching the database: their
migrations change only Django's state, and their content types keep their ids."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations import SeparateDatabaseAndState

from plans.models import UnitPlan

pytestmark = pytest.mark.django_db

MOVE = importlib.import_module("plans.migrations.0002_content_types")
EDITOR = SimpleNamespace(connection=connection)


@pytest.mark.parametrize(
    "name",
    [
        "plans.migrations.0001_initial",
        "campaigns.migrations.0008_move_plans_to_plans_app",
    ],
)
def test_the_move_changes_only_the_state(name: str) -> None:
    """What ``sqlmigrate`` shows as "(no-op)": no operation reaches the database."""
    operations = importlib.import_module(name).Migration.operations

    assert operations
    assert all(isinstance(op, SeparateDatabaseAndState) for op in operations)
    assert all(op.database_operations == [] for op in operations)


def test_the_content_type_and_its_permissions_keep_their_ids_both_ways() -> None:
    moved = ContentType.objects.get_for_model(UnitPlan)
    permissions = set(Permission.objects.filter(content_type=moved))

    MOVE.to_campaigns(apps, EDITOR)
    back = ContentType.objects.get(pk=moved.pk)
    assert (back.app_label, back.model) == ("campaigns", "unitplan")
    MOVE.to_plans(apps, EDITOR)

    again = ContentType.objects.get(pk=moved.pk)
    assert (again.app_label, again.model) == ("plans", "unitplan")
    assert set(Permission.objects.filter(content_type=again)) == permissions


def test_the_old_content_type_wins_over_one_made_after_a_stopped_migrate() -> None:
    moved = ContentType.objects.get_for_model(UnitPlan)
    MOVE.to_campaigns(apps, EDITOR)
    newer = ContentType.objects.create(app_label="plans", model="unitplan")

    MOVE.to_plans(apps, EDITOR)

    assert not ContentType.objects.filter(pk=newer.pk).exists()
    assert ContentType.objects.get(app_label="plans", model="unitplan").pk == moved.pk
