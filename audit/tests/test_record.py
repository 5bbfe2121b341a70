"""``record`` writes the entry Wagtail's ``log()`` would, in one statement."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from wagtail.log_actions import LogContext, log
from wagtail.models import ModelLogEntry

from audit.actions import record, scope_of
from org.models import Unit

pytestmark = pytest.mark.django_db

COMPARED = (
    "content_type",
    "object_id",
    "label",
    "action",
    "user",
    "data",
    "uuid",
    "revision",
    "content_changed",
    "deleted",
)


def test_an_entry_is_the_one_wagtail_writes_in_one_insert(
    world, django_assert_num_queries
):
    unit = Unit.objects.get(pk=world.unit_a.pk)  # unchanged since loaded: no changes
    ContentType.objects.get_for_model(unit)  # cached by every process once
    with LogContext(user=world.director):  # one action: one uuid for both
        # no query to find the content type or the person first
        with django_assert_num_queries(1):
            record(unit, "sanfu.unit.create", actor=world.director, data={"a": 1})
        log(
            unit,
            "sanfu.unit.create",
            user=world.director,
            data={**scope_of(unit), "a": 1},
        )
    ours, wagtails = ModelLogEntry.objects.filter(action="sanfu.unit.create").order_by(
        "pk"
    )
    assert ours.uuid is not None
    assert [getattr(ours, name) for name in COMPARED] == [
        getattr(wagtails, name) for name in COMPARED
    ]


def test_the_log_contexts_person_is_the_actor_when_none_is_given(world):
    with LogContext(user=world.director):
        record(world.unit_a, "sanfu.unit.create")
    assert ModelLogEntry.objects.get(action="sanfu.unit.create").user == world.director


def test_an_action_wagtail_does_not_know_is_still_refused(world):
    with pytest.raises(ValidationError):
        record(world.unit_a, "wagtail.no_such_action", actor=world.director)
    assert not ModelLogEntry.objects.filter(action="wagtail.no_such_action").exists()
