"""``campaigns.org_access``: which units and memberships each persona reaches."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from campaigns.org_access import get_unit_for_user, memberships_for_user, units_for_user

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return {unit.name for unit in queryset}


def test_a_liaison_reaches_only_their_own_unit(world):
    assert names(units_for_user(world.liaison_a)) == {world.unit_a.name}
    with pytest.raises(Http404):
        get_unit_for_user(world.liaison_a, world.unit_b.pk)


@pytest.mark.parametrize("persona", ["liaison_a", "head_a"])
def test_a_units_own_people_do_not_change_it(world, persona):
    # Its name is public: the office names units, not the units themselves.
    person = getattr(world, persona)
    assert not units_for_user(person, write=True).exists()
    with pytest.raises(Http404):
        get_unit_for_user(person, world.unit_a.pk, write=True)


def test_staff_see_their_unit_but_change_nothing(world):
    assert names(units_for_user(world.staff_a)) == {world.unit_a.name}
    assert not units_for_user(world.staff_a, write=True).exists()
    with pytest.raises(Http404):
        get_unit_for_user(world.staff_a, world.unit_a.pk, write=True)


def test_the_leading_group_sees_every_unit_but_changes_none(world, other_world):
    both = {world.unit_a.name, world.unit_b.name}
    assert names(units_for_user(world.leader)) == both
    assert not units_for_user(world.leader, write=True).exists()


def test_the_office_director_changes_every_unit_of_the_organisation(world, other_world):
    both = {world.unit_a.name, world.unit_b.name}
    assert names(units_for_user(world.director, write=True)) == both


def test_memberships_follow_the_units_and_only_the_office_changes_them(world):
    assert {m.person for m in memberships_for_user(world.liaison_a)} == {
        world.head_a,
        world.liaison_a,
        world.staff_a,
    }
    assert not memberships_for_user(world.liaison_a, write=True).exists()
    assert memberships_for_user(world.director, write=True).count() == 4


def test_the_public_and_outsiders_reach_no_unit(world):
    assert not units_for_user(AnonymousUser()).exists()
    assert not units_for_user(world.outsider).exists()


def test_the_superuser_reaches_every_unit(world, other_world):
    assert units_for_user(world.superuser, write=True).count() == 4
