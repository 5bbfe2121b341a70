"""The units screens of the back office, walked by every persona."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from audit.actions import ACTIONS, record
from org.models import Unit

pytestmark = pytest.mark.django_db


def edit_url(unit: Unit) -> str:
    return reverse("unit:edit", args=[unit.pk])


def test_the_public_cannot_open_the_admin(client, world):
    response = client.get(reverse("unit:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_person_without_a_role_cannot_open_the_admin(login, world):
    response = login(world.outsider).get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_a_liaison_lists_only_their_own_unit(login, world):
    response = login(world.liaison_a).get(reverse("unit:index"))
    assert response.status_code == 200
    assert world.unit_a.name in response.content.decode()
    assert world.unit_b.name not in response.content.decode()


@pytest.mark.parametrize("persona", ["liaison_a", "head_a"])
def test_a_units_own_people_cannot_open_its_edit_form(login, world, persona):
    # The unit's name is shown on public pages: only the office names units.
    response = login(getattr(world, persona)).get(edit_url(world.unit_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("persona", ["liaison_a", "head_a"])
def test_a_units_own_people_cannot_rename_it_by_posting(login, world, persona):
    name = world.unit_a.name
    response = login(getattr(world, persona)).post(
        edit_url(world.unit_a),
        {
            "name": "自封第一處",
            "short_name": "甲",
            "kind": "subordinate",
            "description": "改過",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    world.unit_a.refresh_from_db()
    assert (world.unit_a.name, world.unit_a.kind) == (name, "department")
    assert world.unit_a.description != "改過"
    assert not ModelLogEntry.objects.filter(
        object_id=str(world.unit_a.pk), action="wagtail.edit"
    ).exists()


def test_the_office_director_renames_a_unit(login, world):
    response = login(world.director).post(
        edit_url(world.unit_a),
        {
            "name": "規劃處",
            "short_name": "規",
            "kind": "department",
            "description": "負責規劃",
        },
    )
    assert response.status_code == 302
    world.unit_a.refresh_from_db()
    assert world.unit_a.name == "規劃處"
    entry = ModelLogEntry.objects.filter(object_id=str(world.unit_a.pk)).latest("pk")
    assert entry.action == "wagtail.edit"
    assert entry.user_id == world.director.pk


@pytest.mark.parametrize("view", ["delete", "inspect"])
def test_a_liaison_cannot_open_another_units_admin_objects(login, world, view):
    client = login(world.liaison_a)
    response = client.get(reverse(f"unit:{view}", args=[world.unit_b.pk]))
    assert response.status_code == 404


def test_a_liaison_cannot_change_another_unit_by_posting(login, world):
    client = login(world.liaison_a)
    response = client.post(
        edit_url(world.unit_b),
        {"name": "篡改", "kind": "department", "short_name": "", "description": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    world.unit_b.refresh_from_db()
    assert world.unit_b.name != "篡改"


def test_staff_may_see_but_not_change_their_unit(login, world):
    client = login(world.staff_a)
    assert (
        client.get(reverse("unit:inspect", args=[world.unit_a.pk])).status_code == 200
    )
    response = client.get(edit_url(world.unit_a))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("wagtailadmin_home") in response["Location"]


def test_a_unit_head_cannot_add_units(login, world):
    response = login(world.head_a).get(reverse("unit:add"))
    assert response.status_code in (302, 403)


def test_the_office_director_sees_and_changes_every_unit_of_the_organisation(
    login, world, other_world
):
    client = login(world.director)
    page = client.get(reverse("unit:index")).content.decode()
    assert world.unit_a.name in page
    assert world.unit_b.name in page
    assert other_world.unit_a.name not in page
    assert client.get(edit_url(world.unit_b)).status_code == 200
    assert client.get(edit_url(other_world.unit_a)).status_code == 404


def test_the_office_director_adds_a_unit_under_a_parent(login, world):
    client = login(world.director)
    response = client.post(
        reverse("unit:add"),
        {
            "organisation": world.organisation.pk,
            "parent": world.unit_a.pk,
            "name": "甲處第一科",
            "short_name": "",
            "kind": "grassroots",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child = Unit.objects.get(name="甲處第一科")
    assert child.get_parent() == world.unit_a
    assert ModelLogEntry.objects.filter(
        object_id=str(child.pk), action="sanfu.unit.create", user=world.director
    ).exists()


def test_a_unit_cannot_be_added_to_another_organisation(login, world, other_world):
    client = login(world.director)
    response = client.post(
        reverse("unit:add"),
        {
            "organisation": other_world.organisation.pk,
            "parent": "",
            "name": "滲透處",
            "short_name": "",
            "kind": "department",
            "description": "",
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Unit.objects.filter(name="滲透處").exists()


def test_a_duplicate_unit_name_gets_a_field_error(login, world):
    client = login(world.director)
    response = client.post(
        reverse("unit:add"),
        {
            "organisation": world.organisation.pk,
            "parent": "",
            "name": world.unit_a.name,
            "short_name": "",
            "kind": "department",
            "description": "",
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_the_history_of_a_unit_lists_its_own_entries(login, world):
    # Log entries of other objects first, so entry ids and unit ids differ.
    for unit in (world.unit_b, world.unit_b, world.unit_b):
        record(unit, "wagtail.edit", actor=world.director)
    record(world.unit_a, "sanfu.unit.create", actor=world.director)
    response = login(world.director).get(
        reverse("unit:history", args=[world.unit_a.pk])
    )
    assert response.status_code == 200
    with translation.override(response["Content-Language"]):
        message = str(ACTIONS["sanfu.unit.create"][1])
    assert message in response.content.decode()
