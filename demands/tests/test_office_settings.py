"""The demands' reference data in the back office: the dispatch catalogue, the reply
deadlines and the working-day calendar, each kept only by those who may."""

import datetime

import pytest
from django.urls import reverse

from campaigns.tests.factories import MainTaskFactory
from demands.models import Category, DeadlineRule, DemandKind
from demands.tests.factories import CategoryFactory, submit_test_demand
from org.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def category_fields(world, **extra):
    data = {
        "campaign": world.campaign.pk,
        "name": "水利工程",
        "main_task": MainTaskFactory.create(campaign=world.campaign).pk,
        "default_unit": world.unit_a.pk,
        "is_active": "on",
    }
    data.update(extra)
    return data


def test_the_office_adds_a_catalogue_entry(login, world):
    response = login(world.clerk).post(
        reverse("demand_category:add"), category_fields(world)
    )
    assert response.status_code == 302
    category = Category.objects.get()
    assert category.default_unit == world.unit_a


def test_a_catalogue_entry_cannot_name_another_organisations_unit(
    login, world, other_world
):
    response = login(world.director).post(
        reverse("demand_category:add"),
        category_fields(world, default_unit=other_world.unit_a.pk),
    )
    assert response.status_code == 200
    assert not Category.objects.exists()


def test_a_catalogue_entry_cannot_be_added_to_another_campaign(
    login, world, other_world
):
    response = login(world.director).post(
        reverse("demand_category:add"),
        category_fields(world, campaign=other_world.campaign.pk),
    )
    assert response.status_code == 200
    assert not Category.objects.exists()


def test_the_catalogue_lists_only_the_users_campaigns(login, world, other_world):
    mine = CategoryFactory.create(campaign=world.campaign, name="本活動類別")
    CategoryFactory.create(campaign=other_world.campaign, name="他活動類別")
    response = login(world.director).get(reverse("demand_category:index"))
    html = response.content.decode()
    assert mine.name in html and "他活動類別" not in html


def test_a_leader_views_the_catalogue_but_cannot_change_it(login, world):
    category = CategoryFactory.create(campaign=world.campaign)
    client = login(world.leader)
    assert client.get(reverse("demand_category:index")).status_code == 200
    response = client.post(
        reverse("demand_category:edit", args=[category.pk]),
        category_fields(world, name="改名"),
    )
    assert response.status_code in (302, 403)
    category.refresh_from_db()
    assert category.name != "改名"


def test_a_liaison_cannot_open_the_catalogue(login, world):
    response = login(world.liaison_a).get(reverse("demand_category:index"))
    assert response.status_code in (302, 403)


def test_the_office_sets_a_reply_deadline_for_a_kind(login, world):
    response = login(world.director).post(
        reverse("deadline_rule:add"),
        {"campaign": world.campaign.pk, "kind": DemandKind.HELP, "reply_days": 7},
    )
    assert response.status_code == 302
    assert DeadlineRule.objects.get().reply_days == 7


def test_the_office_director_keeps_the_working_day_calendar(login, world):
    response = login(world.director).post(
        reverse("workday_override:add"),
        {"day": "2031-10-01", "is_workday": "", "note": "國慶"},
    )
    assert response.status_code == 302
    override = WorkdayOverride.objects.get()
    assert override.day == datetime.date(2031, 10, 1)
    assert override.is_workday is False


@pytest.mark.parametrize("persona", ["clerk", "leader", "liaison_a"])
def test_no_one_else_changes_the_calendar(login, world, persona):
    client = login(getattr(world, persona))
    response = client.post(
        reverse("workday_override:add"),
        {"day": "2031-10-01", "is_workday": "", "note": "國慶"},
    )
    assert response.status_code in (302, 403)
    assert not WorkdayOverride.objects.exists()


def test_a_catalogue_entry_that_demands_use_is_not_deleted(login, world, in_english):
    category = CategoryFactory.create(campaign=world.campaign)
    submit_test_demand(world, category=category)
    client = login(world.director)
    response = client.post(reverse("demand_category:delete", args=[category.pk]))
    assert response.status_code == 302
    assert Category.objects.filter(pk=category.pk).exists()
    page = client.get(response.url).content.decode()
    assert "cannot be deleted: 1 record still refers to it" in page
