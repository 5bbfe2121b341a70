"""Issuing, listing and revoking API tokens in the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from api.actions import issue_token
from api.models import ApiToken, TokenScope, hash_key

pytestmark = pytest.mark.django_db

INDEX = "/admin/api_tokens/"


def issue(client, name="熱線系統", scope="act", days=90):
    expires_on = timezone.localdate() + datetime.timedelta(days=days)
    return client.post(
        f"{INDEX}new/",
        {"name": name, "scope": scope, "expires_on": expires_on.isoformat()},
    )


def test_a_token_is_issued_and_its_key_shown_once(world, login):
    client = login(world.director)
    response = issue(client)
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get()
    assert token.user == world.director
    assert token.key_hash == hash_key(key)
    assert token.scope == TokenScope.ACT
    index = client.get(INDEX)
    assert "熱線系統" in index.content.decode()
    assert key not in index.content.decode()
    assert ModelLogEntry.objects.filter(action="api.token.issue").exists()
    api = client.get("/api/v1/demands", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200


def test_the_form_offers_90_days_and_refuses_more_than_a_year(world, login):
    client = login(world.liaison_a)
    form = client.get(f"{INDEX}new/").context["form"]
    default = timezone.localdate() + datetime.timedelta(days=90)
    assert form["expires_on"].value() == default
    response = issue(client, days=366)
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    response = issue(client, days=0)
    assert "expires_on" in response.context["form"].errors
    response = issue(client, scope="admin")
    assert "scope" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["leader", "editor", "staff_a", "outsider"])
def test_a_role_that_needs_no_token_cannot_issue_one(world, login, role):
    client = login(getattr(world, role))
    assert client.get(f"{INDEX}new/").status_code == 302
    assert issue(client).status_code == 302
    assert client.get(INDEX).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_is_revoked_not_deleted(world, login):
    client = login(world.director)
    issue(client)
    token = ApiToken.objects.get()
    response = client.post(f"{INDEX}delete/{token.pk}/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_office_sees_and_revokes_the_tokens_of_its_campaigns_people(world, login):
    token, _key = issue_token(
        world.liaison_a, name="甲處系統", scope="act", actor=world.liaison_a
    )
    client = login(world.clerk)
    index = client.get(INDEX).content.decode()
    assert "甲處系統" in index
    assert world.liaison_a.username in index or str(world.liaison_a) in index
    assert client.post(f"{INDEX}delete/{token.pk}/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = ModelLogEntry.objects.get(action="api.token.revoke")
    assert entry.user_id == world.clerk.pk


def test_the_office_list_costs_the_same_queries_for_one_or_many(
    world, login, django_assert_num_queries
):
    client = login(world.director)
    people = [world.liaison_a, world.liaison_b, world.head_a, world.clerk]
    issue_token(people[0], name="甲處系統", actor=people[0])
    client.get(INDEX)
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    for person in people[1:]:
        issue_token(person, name="系統", actor=person)
    with django_assert_num_queries(len(one)):
        response = client.get(INDEX)
    assert response.content.decode().count("系統") >= 4


def test_the_office_cannot_rename_another_persons_token(world, login):
    token, _key = issue_token(world.liaison_a, name="甲處系統", actor=world.liaison_a)
    client = login(world.director)
    assert client.get(f"{INDEX}edit/{token.pk}/").status_code == 404
    client.post(f"{INDEX}edit/{token.pk}/", {"name": "改名"})
    token.refresh_from_db()
    assert token.name == "甲處系統"


def test_the_office_neither_sees_nor_revokes_another_campaigns_tokens(
    world, other_world, login
):
    token, _key = issue_token(
        other_world.liaison_a, name="他處系統", actor=other_world.liaison_a
    )
    client = login(world.director)
    assert "他處系統" not in client.get(INDEX).content.decode()
    assert client.post(f"{INDEX}delete/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_liaison_neither_sees_nor_revokes_another_persons_token(world, login):
    token, _key = issue_token(world.director, name="主任的", actor=world.director)
    client = login(world.liaison_a)
    assert "主任的" not in client.get(INDEX).content.decode()
    assert client.post(f"{INDEX}delete/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_public_cannot_reach_the_tokens(client, db):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
