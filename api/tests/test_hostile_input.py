"""Malformed and disguised Unicode through the API and Open311: ill-formed text (a
lone surrogate, as JSON can carry) is refused on its field and nothing is stored;
control and bidi characters are stripped; lengths count the normalised text."""

import json
from typing import Any

import pytest

from api.tests.test_open311 import file
from api.tests.test_public import URL, body
from demands.models import Demand

pytestmark = pytest.mark.django_db


def _post_raw(client: Any, data: dict[str, Any]) -> Any:
    # json.dumps writes a lone surrogate as the escape \ud800, which is valid JSON
    return client.post(URL, json.dumps(data), content_type="application/json")


def test_a_lone_surrogate_is_a_field_error_and_nothing_is_stored(world, client):
    response = _post_raw(client, body(world, content="路燈\ud800壞了"))
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"content"}
    assert not Demand.objects.exists()


def test_control_and_bidi_characters_are_stripped(world, client):
    response = _post_raw(
        client, body(world, title="路燈\u202e不亮\x07", location="河南路\u2066\x1b")
    )
    assert response.status_code == 201
    demand = Demand.objects.get()
    assert (demand.title, demand.location) == ("路燈不亮", "河南路")


def test_the_length_is_counted_after_normalising(world, client):
    # 200 characters once the zero-width controls are gone: accepted
    padded = "長" * 200 + "\u202c" * 50
    assert _post_raw(client, body(world, title=padded)).status_code == 201
    too_long = _post_raw(client, body(world, title="長" * 201))
    assert too_long.status_code == 400
    assert Demand.objects.count() == 1


def test_open311_refuses_a_lone_surrogate_with_a_400(world, category, client, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        json.dumps(
            {
                "service_code": str(category.pk),
                "description": "路燈\udfff壞了",
                "phone": "13900001111",
                "api_key": api_key,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("description:")
    assert not Demand.objects.exists()


def test_open311_strips_bidi_overrides(world, category, client, api_key):
    filed = file(client, category, address_string="\u202e號21路某", api_key=api_key)
    assert filed.status_code == 201
    assert Demand.objects.get().location == "號21路某"


def test_a_title_of_several_lines_is_stored_as_one(world, client):
    response = _post_raw(
        client, body(world, title="路燈\n不亮", location="河南路\r\n12號")
    )
    assert response.status_code == 201
    demand = Demand.objects.get()
    assert (demand.title, demand.location) == ("路燈 不亮", "河南路 12號")


def test_a_title_of_line_breaks_only_is_refused(world, client):
    response = _post_raw(client, body(world, title="\n\n"))
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"title"}


@pytest.mark.parametrize("step", ["reopen", "extend", "approve-extension", "accept"])
def test_a_step_on_the_tracking_number_id_is_no_method_error(client, step):
    # /demands/id/{pk} (GET) was matched first and answered 405 to these POSTs
    response = client.post(f"/api/v1/demands/id/{step}")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
