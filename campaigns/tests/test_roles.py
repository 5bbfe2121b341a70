"""What each role may do: positions and memberships grant permissions, nothing else."""

import pytest

from campaigns.access import campaign_rows_for_user, campaigns_for_user
from campaigns.models import Phase
from campaigns.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db

ADMIN = "wagtailadmin.access_admin"

# persona → (may enter the admin, may add phases, may add units, may change a unit)
MATRIX = {
    "leader": (True, False, False, False),
    "director": (True, True, True, True),
    "clerk": (True, True, False, False),
    "editor": (True, False, False, False),
    "head_a": (True, False, False, False),
    "liaison_a": (True, False, False, False),
    "staff_a": (True, False, False, False),
    "outsider": (False, False, False, False),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_each_role_gets_exactly_its_permissions(world, persona):
    person = getattr(world, persona)
    expected = MATRIX[persona]
    assert (
        person.has_perm(ADMIN),
        person.has_perm("campaigns.add_phase"),
        person.has_perm("org.add_unit"),
        person.has_perm("org.change_unit"),
    ) == expected


def test_an_inactive_person_has_no_permission(world):
    world.director.is_active = False
    world.director.save()
    assert not world.director.has_perm(ADMIN)


def test_a_role_in_one_campaign_grants_nothing_in_another(world, other_world):
    assert list(campaigns_for_user(world.director)) == [world.campaign]
    writable = campaigns_for_user(world.clerk, perm="campaigns.change_phase")
    assert list(writable) == [world.campaign]
    PhaseFactory.create(campaign=other_world.campaign)
    assert not campaign_rows_for_user(Phase, world.director).filter(
        campaign=other_world.campaign
    )


def test_unit_people_see_their_organisations_campaigns_but_change_none(world):
    assert list(campaigns_for_user(world.liaison_a)) == [world.campaign]
    assert not campaigns_for_user(world.liaison_a, perm="campaigns.change_phase")


def test_the_public_sees_no_campaign_in_the_back_office(world):
    from django.contrib.auth.models import AnonymousUser

    assert not campaigns_for_user(AnonymousUser())
