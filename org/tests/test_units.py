"""The unit tree: adding units never disturbs the ones already there."""

import pytest

from core.errors import Refused
from org import actions
from org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_loaded_unit_can_be_renamed_after_siblings_were_added(world):
    unit = Unit.objects.get(pk=world.unit_b.pk)
    actions.create_unit(world.organisation, "丙處", actor=world.director)
    actions.create_unit(world.organisation, "丁處", parent=unit, actor=world.director)
    unit.name = "乙處（改名）"
    unit.save()
    assert Unit.objects.get(pk=unit.pk).name == "乙處（改名）"
    assert Unit.find_problems() == ([], [], [], [], [])


def test_a_child_unit_sits_under_its_parent(world):
    child = actions.create_unit(
        world.organisation, "甲處一科", parent=world.unit_a, actor=world.director
    )
    parent = Unit.objects.get(pk=world.unit_a.pk)
    assert child.get_parent() == parent
    assert list(parent.get_children()) == [child]
    assert Unit.find_problems() == ([], [], [], [], [])


def test_a_unit_cannot_hang_under_another_organisations_unit(world, other_world):
    with pytest.raises(Refused, match="another organisation") as refused:
        actions.create_unit(
            world.organisation,
            "錯掛處",
            parent=other_world.unit_a,
            actor=world.director,
        )
    assert refused.value.code == "parent_elsewhere"
    assert not Unit.objects.filter(name="錯掛處").exists()
