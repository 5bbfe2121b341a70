"""The campaign screens of the back office: menus, scopes and refusals per role."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from campaigns.models import Phase
from campaigns.tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def menu_of(client) -> str:
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_public_cannot_open_the_campaign_admin(client, world):
    response = client.get(reverse("phase:index"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_office_director_sees_the_campaign_structure_on_the_first_screen(
    login, world
):
    page = menu_of(login(world.director))
    assert world.campaign.name in page
    for body in ("領導小組", "辦公室", "綜合組", "宣傳組"):
        assert body in page
    assert world.leader.full_name in page


def test_menus_show_each_role_what_it_may_use(login, world):
    director_page = menu_of(login(world.director))
    assert reverse("phase:index") in director_page
    assert reverse("unit:index") in director_page
    liaison_page = menu_of(login(world.liaison_a))
    assert reverse("unit:index") in liaison_page
    assert reverse("phase:index") not in liaison_page
    assert reverse("position:index") not in liaison_page


def test_a_liaison_cannot_list_phases(login, world):
    response = login(world.liaison_a).get(reverse("phase:index"))
    assert response.status_code in (302, 403)


def test_the_comprehensive_group_adds_a_phase_to_its_campaign(login, world):
    response = login(world.clerk).post(
        reverse("phase:add"),
        {
            "campaign": world.campaign.pk,
            "sequence": 1,
            "name": "動員部署",
            "description": "",
            "starts_on": "2007-03-27",
            "ends_on": "2007-04-30",
        },
    )
    assert response.status_code == 302
    phase = Phase.objects.get(name="動員部署")
    assert phase.campaign == world.campaign
    assert ModelLogEntry.objects.filter(
        object_id=str(phase.pk), action="wagtail.create", user=world.clerk
    ).exists()


def test_a_phase_cannot_be_added_to_a_campaign_the_user_holds_no_role_in(
    login, world, other_world
):
    response = login(world.clerk).post(
        reverse("phase:add"),
        {
            "campaign": other_world.campaign.pk,
            "sequence": 1,
            "name": "越權",
            "description": "",
            "starts_on": "2007-03-27",
            "ends_on": "2007-04-30",
        },
    )
    assert response.status_code == 200
    assert "campaign" in response.context["form"].errors
    assert not Phase.objects.filter(name="越權").exists()


def test_a_phase_ending_before_it_starts_gets_a_field_error(login, world):
    response = login(world.clerk).post(
        reverse("phase:add"),
        {
            "campaign": world.campaign.pk,
            "sequence": 1,
            "name": "倒置",
            "description": "",
            "starts_on": "2007-05-01",
            "ends_on": "2007-04-01",
        },
    )
    assert response.status_code == 200
    assert not Phase.objects.filter(name="倒置").exists()


def test_another_campaigns_phase_is_not_found(login, world, other_world):
    phase = PhaseFactory.create(campaign=other_world.campaign)
    client = login(world.director)
    for view in ("edit", "delete", "inspect", "history"):
        response = client.get(reverse(f"phase:{view}", args=[phase.pk]))
        assert response.status_code == 404, view


def test_the_leader_sees_but_cannot_change_phases(login, world):
    phase = PhaseFactory.create(campaign=world.campaign)
    client = login(world.leader)
    assert client.get(reverse("phase:index")).status_code == 200
    assert client.get(reverse("phase:inspect", args=[phase.pk])).status_code == 200
    response = client.post(
        reverse("phase:edit", args=[phase.pk]),
        {
            "campaign": world.campaign.pk,
            "sequence": phase.sequence,
            "name": "改名",
            "description": "",
            "starts_on": "2007-03-27",
            "ends_on": "2007-04-30",
        },
    )
    assert response.status_code in (302, 403)
    phase.refresh_from_db()
    assert phase.name != "改名"


def test_the_publicity_group_cannot_appoint_people(login, world):
    response = login(world.editor).get(reverse("position:add"))
    assert response.status_code in (302, 403)


def test_the_director_edits_the_campaign_but_not_another(login, world, other_world):
    client = login(world.director)
    assert (
        client.get(reverse("campaign:edit", args=[world.campaign.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("campaign:edit", args=[other_world.campaign.pk])).status_code
        == 404
    )
    assert world.campaign.starts_on == datetime.date(2007, 3, 27)
