"""Other websites cannot file demands through their visitors' browsers: the API
takes JSON only (a browser must ask first, and no CORS allowance is ever given),
and Open311 files only with an integrator's api_key, each key counted on its own."""

import json

import pytest

from api.actions import issue_token
from api.tests.test_open311 import file
from api.tests.test_public import body
from demands.models import Demand

pytestmark = pytest.mark.django_db

API = "/api/v1/demands"
OPEN311 = "/open311/v2/requests.json"
EVIL = "https://evil.example"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x"],
)
def test_the_api_refuses_a_body_that_is_not_json_with_a_415(
    world, client, content_type
):
    response = client.post(
        API,
        json.dumps(body(world)),
        content_type=content_type,
        headers={"Origin": EVIL},
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert response.json()["message"]
    assert not Demand.objects.exists()


def test_the_api_takes_json_with_a_charset(world, client):
    response = client.post(
        API,
        json.dumps(body(world)),
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201


def test_rating_refuses_a_body_that_is_not_json(submitted, client):
    demand, code = submitted()
    response = client.post(
        f"{API}/{demand.tracking_no}/rate",
        json.dumps({"code": code, "rating": "satisfied"}),
        content_type="text/plain",
    )
    assert response.status_code == 415


def test_the_api_sends_no_cors_allowance(world, client):
    answer = client.post(
        API, body(world), content_type="application/json", headers={"Origin": EVIL}
    )
    assert answer.status_code == 201
    assert not any(h.lower().startswith("access-control-") for h in answer.headers)
    preflight = client.options(
        API,
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code != 200
    assert not any(h.lower().startswith("access-control-") for h in preflight.headers)


def test_open311_refuses_to_file_without_an_api_key(category, client):
    response = file(client, category)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert not Demand.objects.exists()
    as_json = client.post(
        OPEN311,
        {"service_code": str(category.pk), "description": "路燈壞了"},
        content_type="application/json",
    )
    assert as_json.status_code == 403
    assert not Demand.objects.exists()


def test_open311_sends_no_cors_allowance(category, client, api_key):
    answer = file(client, category, api_key=api_key)
    assert answer.status_code == 201
    assert not any(h.lower().startswith("access-control-") for h in answer.headers)


def test_each_api_key_has_its_own_limit_and_a_staff_key_no_bypass(
    world, category, client, settings
):
    settings.SANFU_API_RATE_LIMITS = {"submit": (1, 60), "open311_key": (2, 60)}
    _token, staff_key = issue_token(
        world.director, name="hotline", actor=world.director
    )
    _token, other_key = issue_token(world.clerk, name="portal", actor=world.clerk)
    assert file(client, category, api_key=staff_key).status_code == 201
    assert file(client, category, api_key=staff_key).status_code == 201
    refused = file(client, category, api_key=staff_key)
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429
    assert refused["Retry-After"] == "60"
    # the same address with another key has that key's own budget
    assert file(client, category, api_key=other_key).status_code == 201
    assert Demand.objects.count() == 3
