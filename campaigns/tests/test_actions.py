"""The campaign's state changes: each one writes its own entry in the audit trail."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from audit.actions import ACTIONS, record
from campaigns import actions
from campaigns.models import BodyKind
from campaigns.roles import CampaignRole
from core.errors import Refused

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(action=action))


def test_every_project_action_is_registered_with_wagtails_audit_log():
    for name, (label, _message) in ACTIONS.items():
        assert registry.action_exists(name)
        assert registry.get_action_label(name) == label


def test_an_unregistered_project_action_is_refused(world):
    with pytest.raises(ValueError, match="unregistered"):
        record(world.campaign, "sanfu.no_such_thing", actor=world.director)


def test_adding_phases_numbers_them_in_order_and_audits_each(world):
    first = actions.add_phase(
        world.campaign,
        name="動員部署",
        starts_on=datetime.date(2007, 3, 27),
        ends_on=datetime.date(2007, 4, 30),
        actor=world.director,
    )
    second = actions.add_phase(
        world.campaign,
        name="組織實施",
        starts_on=datetime.date(2007, 5, 1),
        ends_on=datetime.date(2007, 10, 31),
        actor=world.director,
    )
    assert (first.sequence, second.sequence) == (1, 2)
    logged = entries("sanfu.campaign.structure")
    assert {entry.object_id for entry in logged} >= {str(first.pk), str(second.pk)}
    assert all(entry.user_id == world.director.pk for entry in logged)


def test_appointing_a_person_audits_it_and_grants_the_roles_permissions(world):
    person = world.outsider
    assert not person.has_perm("wagtailadmin.access_admin")
    position = actions.appoint(
        person,
        world.comprehensive_group,
        title="組員",
        role=CampaignRole.COMPREHENSIVE,
        actor=world.director,
    )
    [entry] = entries("sanfu.position.appoint")
    assert entry.object_id == str(position.pk)
    assert entry.data["role"] == CampaignRole.COMPREHENSIVE
    person = type(person).objects.get(pk=person.pk)  # a fresh permission cache
    assert person.has_perm("wagtailadmin.access_admin")
    assert person.has_perm("campaigns.add_phase")
    assert not person.has_perm("org.add_unit")


def test_a_body_cannot_hang_under_another_campaigns_body(world, other_world):
    with pytest.raises(Refused, match="same campaign"):
        actions.add_body(
            world.campaign,
            kind=BodyKind.OFFICE_GROUP,
            name="錯掛組",
            parent=other_world.office,
            actor=world.director,
        )
    assert not world.campaign.bodies.filter(name="錯掛組").exists()


def test_a_campaign_that_ends_before_it_starts_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.create_campaign(
            world.organisation,
            name="倒置活動",
            slug="inverted",
            theme="主題",
            starts_on=datetime.date(2007, 5, 1),
            ends_on=datetime.date(2007, 4, 1),
            actor=world.superuser,
        )
    assert not entries("sanfu.campaign.create")


def test_the_admin_history_shows_the_projects_action_labels(login, world):
    meeting = actions.record_meeting(
        world.campaign,
        title="部署會議",
        held_on=datetime.date(2007, 3, 27),
        host=world.director,
        actor=world.director,
    )
    response = login(world.director).get(reverse("meeting:history", args=[meeting.pk]))
    assert response.status_code == 200
    with translation.override(response["Content-Language"]):
        message = str(ACTIONS["sanfu.meeting.record"][1])
    assert message in response.content.decode()
