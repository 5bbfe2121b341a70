"""The query code travels in a header or a body, never in a URL, where access logs
and browser histories would keep it; and with it Open311 shows what the public
tracking page shows, nothing more."""

import pytest

from api.tests.test_open311 import file
from demands.views import public

pytestmark = pytest.mark.django_db

API = "/api/v1/demands"
OPEN311 = "/open311/v2/requests"


def test_the_api_takes_the_code_from_the_x_query_code_header(submitted, client):
    demand, code = submitted()
    response = client.get(f"{API}/{demand.tracking_no}", headers={"X-Query-Code": code})
    assert response.status_code == 200
    assert response.json()["tracking_no"] == demand.tracking_no


def test_the_api_refuses_a_code_in_the_url_even_a_right_one(submitted, client):
    demand, code = submitted()
    response = client.get(f"{API}/{demand.tracking_no}", {"code": code})
    assert response.status_code == 400
    assert response.json()["code"] == "query_code_in_url"
    assert "X-Query-Code" in response.json()["message"]
    with_header_too = client.get(
        f"{API}/{demand.tracking_no}", {"code": code}, headers={"X-Query-Code": code}
    )
    assert with_header_too.status_code == 400


def test_rating_refuses_a_code_in_the_url(submitted, client):
    demand, code = submitted()
    response = client.post(
        f"{API}/{demand.tracking_no}/rate?code={code}",
        {"code": code, "rating": "satisfied"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "query_code_in_url"


def test_the_api_without_a_code_names_the_header(submitted, client):
    demand, _code = submitted()
    response = client.get(f"{API}/{demand.tracking_no}")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["location"]) == ("X-Query-Code", "header")


def test_open311_refuses_a_query_code_in_the_url(world, category, client, api_key):
    [created] = file(client, category, api_key=api_key).json()
    number, code = created["service_request_id"], created["query_code"]
    response = client.get(f"{OPEN311}/{number}.json", {"query_code": code})
    assert response.status_code == 400
    assert "X-Query-Code" in response.json()[0]["description"]
    listed = client.get(f"{OPEN311}.json", {"query_code": code})
    assert listed.status_code == 400


def test_open311_with_the_code_shows_what_the_tracking_page_shows(
    world, category, client, api_key
):
    [created] = file(client, category, api_key=api_key).json()
    number, code = created["service_request_id"], created["query_code"]
    response = client.get(f"{OPEN311}/{number}.json", headers={"X-Query-Code": code})
    assert response.status_code == 200
    [request] = response.json()
    assert request["service_request_id"] == number
    # what they filed, as the tracking page shows it to them; not who they are
    assert (
        request["description"] == "小區門口路燈壞了三天，晚上出行不便。\n請盡快修理。"
    )
    assert request["address"] == "天河區某路 12 號"
    text = response.content.decode()
    for private in ("13900001111", "李四"):
        assert private not in text
    wrong = client.get(f"{OPEN311}/{number}.json", headers={"X-Query-Code": "WRONG2"})
    assert wrong.status_code == 404


def test_the_tracking_page_ignores_a_code_in_its_url(submitted, client):
    demand, code = submitted()
    response = client.get(
        "/demands/track/", {"tracking_no": demand.tracking_no, "query_code": code}
    )
    assert response.status_code == 200
    assert public.TRACKED_KEY not in client.session
    assert 'method="post"' in response.content.decode()
