"""Issuing and revoking API tokens in the admin."""

import pytest
from wagtail.models import ModelLogEntry

from api.models import ApiToken, hash_key

pytestmark = pytest.mark.django_db

INDEX = "/admin/api_tokens/"


def test_a_token_is_issued_and_its_key_shown_once(world, login):
    client = login(world.director)
    response = client.post(f"{INDEX}new/", {"name": "熱線系統"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get()
    assert token.user == world.director
    assert token.key_hash == hash_key(key)
    index = client.get(INDEX)
    assert "熱線系統" in index.content.decode()
    assert key not in index.content.decode()
    assert ModelLogEntry.objects.filter(action="api.token.issue").exists()
    api = client.get("/api/v1/demands", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200


def test_a_token_is_revoked_not_deleted(world, login):
    client = login(world.director)
    client.post(f"{INDEX}new/", {"name": "熱線系統"})
    token = ApiToken.objects.get()
    response = client.post(f"{INDEX}delete/{token.pk}/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_sees_or_revokes_another_persons_token(world, login):
    login(world.director).post(f"{INDEX}new/", {"name": "主任的"})
    token = ApiToken.objects.get()
    client = login(world.clerk)
    assert "主任的" not in client.get(INDEX).content.decode()
    assert client.post(f"{INDEX}delete/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_public_cannot_reach_the_tokens(client, db):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
