"""Starting the next campaign from the back office: new, or copied from one the
organisation has run."""

import datetime
from typing import Any

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from campaigns.models import Campaign, Position
from campaigns.roles import CampaignRole
from conftest import World
from demands.models import Category, DeadlineRule, Demand
from evaluation.models import Indicator, IndicatorSet, SetStatus, Survey
from sanfu.tests.matrix_objects import Things, build_things

pytestmark = pytest.mark.django_db

NEW = "/admin/campaign/new/"


def _fields(**changed: Any) -> dict[str, Any]:
    fields = {
        "name": "「我為群眾辦實事」實踐活動",
        "slug": "banshishi-2021",
        "theme": "我為群眾辦實事",
        "slogan": "",
        "ordered_by": "",
        "description": "",
        "starts_on": "2021-03-01",
        "ends_on": "2021-12-31",
        "status": "draft",
        "yellow_card_percent": "75",
    }
    fields.update(changed)
    return fields


def test_the_superuser_starts_a_campaign_with_its_organisation(
    world: World, login: Any
) -> None:
    response = login(world.superuser).post(
        NEW, _fields(organisation=world.organisation.pk)
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="banshishi-2021")
    assert campaign.organisation == world.organisation
    assert campaign.starts_on == datetime.date(2021, 3, 1)
    assert ModelLogEntry.objects.filter(
        action="sanfu.campaign.create", object_id=str(campaign.pk)
    ).exists()


def test_the_office_director_starts_one_in_their_organisation_and_runs_it(
    world: World, other_world: World, login: Any
) -> None:
    client = login(world.director)
    form = client.get(NEW).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.organisation]
    refused = client.post(NEW, _fields(organisation=other_world.organisation.pk))
    assert refused.status_code == 200
    assert "organisation" in refused.context["form"].errors
    assert not Campaign.objects.filter(slug="banshishi-2021").exists()
    response = client.post(NEW, _fields(organisation=world.organisation.pk))
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="banshishi-2021")
    seat = Position.objects.get(body__campaign=campaign, person=world.director)
    assert seat.role == CampaignRole.OFFICE_DIRECTOR
    assert client.get(f"/admin/campaign/edit/{campaign.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["leader", "clerk", "editor", "liaison_a", "head_a"])
def test_other_roles_may_not_start_a_campaign(
    world: World, role: str, login: Any
) -> None:
    client = login(getattr(world, role))
    assert client.get(NEW).status_code in (302, 403)
    response = client.post(NEW, _fields(organisation=world.organisation.pk))
    assert response.status_code in (302, 403)
    assert not Campaign.objects.filter(slug="banshishi-2021").exists()


def _copy(things: Things, client: Client, **changed: Any) -> Any:
    source = things.world.campaign
    url = f"/admin/campaign/copy/{source.pk}/"
    page = client.get(url)
    if page.status_code == 200:
        # the copy form posts back to the copy, not to the create view
        assert page.context["action_url"] == url
        assert "organisation" not in page.context["form"].fields
    return client.post(
        url,
        _fields(
            starts_on=(source.starts_on + datetime.timedelta(days=365)).isoformat(),
            ends_on=(source.ends_on + datetime.timedelta(days=365)).isoformat(),
            **changed,
        ),
    )


def test_a_copy_brings_the_frame_and_settings_dates_shifted_not_the_records(
    world: World, login: Any
) -> None:
    things = build_things(world, column_slug="column")
    source = world.campaign
    before = (source.name, source.slug)
    response = _copy(things, login(world.director))
    assert response.status_code == 302, response.context["form"].errors
    source.refresh_from_db()
    assert (source.name, source.slug) == before  # the source is untouched
    copy = Campaign.objects.get(slug="banshishi-2021")
    assert copy.organisation == source.organisation
    shift = datetime.timedelta(days=365)
    assert [(p.name, p.starts_on, p.ends_on) for p in copy.phases.all()] == [
        (p.name, p.starts_on + shift, p.ends_on + shift) for p in source.phases.all()
    ]
    assert list(copy.main_tasks.values_list("name", flat=True)) == list(
        source.main_tasks.values_list("name", flat=True)
    )
    assert copy.requirements.count() == source.requirements.count()
    assert sorted(copy.bodies.values_list("name", "parent__name")) == sorted(
        source.bodies.values_list("name", "parent__name")
    )
    assert sorted(
        Position.objects.filter(body__campaign=copy).values_list("person", "role")
    ) == sorted(
        Position.objects.filter(body__campaign=source).values_list("person", "role")
    )
    category = Category.objects.get(campaign=copy, name=things.category.name)
    assert category.main_task.campaign == copy
    assert category.default_unit == things.category.default_unit
    assert DeadlineRule.objects.filter(campaign=copy).count() == 1
    new_set = IndicatorSet.objects.get(campaign=copy)
    assert new_set.status == SetStatus.DRAFT
    assert new_set.indicators.count() == things.indicator_set.indicators.count()
    for indicator in Indicator.objects.filter(indicator_set=new_set):
        assert indicator.main_task is None or indicator.main_task.campaign == copy
        assert indicator.survey is None or indicator.survey.campaign == copy
        assert indicator.parent is None or indicator.parent.indicator_set == new_set
    assert Survey.objects.filter(campaign=copy).count() == 1
    assert not Demand.objects.filter(campaign=copy).exists()
    assert not copy.meetings.exists()


def test_a_copy_needs_its_own_slug_and_stores_nothing_otherwise(
    world: World, login: Any
) -> None:
    things = build_things(world, column_slug="column")
    count = Campaign.objects.count()
    response = _copy(things, login(world.director), slug=world.campaign.slug)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert Campaign.objects.count() == count


def test_the_leader_may_not_copy(world: World, login: Any) -> None:
    things = build_things(world, column_slug="column")
    count = Campaign.objects.count()
    assert _copy(things, login(world.leader)).status_code in (302, 403)
    assert Campaign.objects.count() == count
