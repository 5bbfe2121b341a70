"""Open311 GeoReport v2: services, filing and following requests."""

import pytest

from api.actions import issue_token, revoke_token
from campaigns.models import CampaignStatus
from demands import actions
from demands.models import Channel, Demand, DemandKind, Urgency
from demands.tests.factories import AreaFactory, CategoryFactory, street_in

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def file(client, category, **extra):
    data = {
        "service_code": str(category.pk),
        "description": "小區門口路燈壞了三天，晚上出行不便。\n請盡快修理。",
        "address_string": "天河區某路 12 號",
        "first_name": "四",
        "last_name": "李",
        "phone": "13900001111",
        "attribute[kind]": "complaint",
    }
    data.update(extra)
    return client.post(f"{BASE}/requests.json", data)


def code_get(client, url, code):
    return client.get(url, headers={"X-Query-Code": code})


def test_services_are_the_open_categories_of_live_campaigns(world, category, client):
    CategoryFactory.create(campaign=world.campaign, is_active=False)
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    [service] = response.json()
    assert service["service_code"] == str(category.pk)
    assert service["service_name"] == "供水"
    assert service["metadata"] is True
    assert service["keywords"] == world.campaign.slug
    world.campaign.status = CampaignStatus.DRAFT
    world.campaign.save()
    assert client.get(f"{BASE}/services.json").json() == []


@pytest.mark.parametrize("path", ["services.json", "requests.json"])
def test_a_jurisdiction_is_a_campaign_and_no_slug_matches_none(
    world, category, client, path, api_key
):
    [created] = file(client, category, allow_publish="true", api_key=api_key).json()
    demand = Demand.objects.get(tracking_no=created["service_request_id"])
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    actions.reply_demand(demand, reply="已修好。", solved=True, actor=world.liaison_a)
    url = f"{BASE}/{path}"
    assert len(client.get(url, {"jurisdiction_id": world.campaign.slug}).json()) == 1
    # an unknown jurisdiction is a 404, as GeoReport v2 says; no slug can hold the
    # others, and the NUL byte would be refused by PostgreSQL
    for value in (
        "no-such-campaign",
        "a\x00b",
        "一個活動",
        world.campaign.slug + "\n",
        "x" * 81,
    ):
        response = client.get(url, {"jurisdiction_id": value})
        assert response.status_code == 404, value
        assert response.json()[0]["code"] == 404


def test_a_service_definition_lists_kinds_and_urgencies(category, client):
    response = client.get(f"{BASE}/services/{category.pk}.json")
    assert response.status_code == 200
    kind, urgency = response.json()["attributes"]
    assert kind["code"] == "kind"
    assert {v["key"] for v in kind["values"]} == set(DemandKind.values)
    assert {v["key"] for v in urgency["values"]} == set(Urgency.values)
    assert client.get(f"{BASE}/services/999999.json").status_code == 404
    assert client.get(f"{BASE}/services/x.json").status_code == 404
    # a superscript digit (str.isdigit() takes it, int() does not: found by
    # schemathesis) and another script's digit
    assert client.get(f"{BASE}/services/¹7.json").status_code == 404
    assert client.get(f"{BASE}/services/٣.json").status_code == 404


def test_discovery_points_at_the_endpoint(client):
    response = client.get(f"{BASE}/discovery.json")
    assert response.json()["endpoints"][0]["url"].endswith("/open311/v2/")


def test_a_request_is_filed_and_followed_with_its_query_code(
    world, category, client, api_key
):
    response = file(client, category, api_key=api_key)
    assert response.status_code == 201
    [created] = response.json()
    demand = Demand.objects.get(tracking_no=created["service_request_id"])
    assert demand.channel == Channel.OPEN311
    assert demand.kind == DemandKind.COMPLAINT
    assert demand.category == category
    assert demand.submitter_name == "李四"
    assert demand.title == "小區門口路燈壞了三天，晚上出行不便。"
    assert demand.check_query_code(created["query_code"])
    detail_url = f"{BASE}/requests/{demand.tracking_no}.json"
    # not published: without the code, its state and nothing anybody wrote
    [state] = client.get(detail_url).json()
    assert state["status"] == "open"
    assert state["description"] == state["address"] == state["status_notes"] == ""
    assert "路燈" not in str(state) and "天河" not in str(state)
    unknown = client.get(f"{BASE}/requests/2099010100000001.json")
    assert unknown.status_code == 404
    assert code_get(client, detail_url, "WRONG234").status_code == 404
    # the code and the number whole, nothing after them
    for url, code in (
        (detail_url, created["query_code"] + "\t"),
        (f"{BASE}/requests/{demand.tracking_no}%0A.json", created["query_code"]),
    ):
        assert code_get(client, url, code).status_code == 404
    response = code_get(client, detail_url, created["query_code"])
    assert response.status_code == 200
    [request] = response.json()
    assert request["status"] == "open"
    assert request["service_code"] == str(category.pk)
    assert request["description"] == demand.content
    assert request["address"] == "天河區某路 12 號"
    assert "13900001111" not in response.content.decode()
    assert "李四" not in response.content.decode()


def test_a_published_request_is_listed_once_replied_with_its_title_only(
    world, category, client, api_key
):
    [created] = file(client, category, allow_publish="true", api_key=api_key).json()
    demand = Demand.objects.get(tracking_no=created["service_request_id"])
    assert client.get(f"{BASE}/requests.json").json() == []
    demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
    demand = actions.accept_demand(demand, actor=world.liaison_a)
    # dispatched and in hand, but not answered: not public yet
    assert client.get(f"{BASE}/requests.json").json() == []
    actions.reply_demand(demand, reply="已修好。", solved=True, actor=world.liaison_a)
    [closed] = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert closed["service_request_id"] == demand.tracking_no
    assert closed["status_notes"] == "已修好。"
    assert closed["agency_responsible"] == world.unit_a.name
    assert closed["description"] == demand.title
    assert demand.content not in str(closed)
    assert closed["address"] == ""
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
    detail = client.get(f"{BASE}/requests/{demand.tracking_no}.json")
    assert detail.json()[0]["status"] == "closed"


def test_the_list_filters_by_service_and_date(world, category, client, api_key):
    other = CategoryFactory.create(campaign=world.campaign, default_unit=world.unit_b)
    for cat in (category, other):
        [created] = file(client, cat, allow_publish="1", api_key=api_key).json()
        demand = Demand.objects.get(tracking_no=created["service_request_id"])
        demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
        demand = actions.accept_demand(demand, actor=world.liaison_a)
        actions.reply_demand(demand, reply="已辦。", solved=True, actor=world.liaison_a)
    assert len(client.get(f"{BASE}/requests.json").json()) == 2
    by_service = client.get(f"{BASE}/requests.json", {"service_code": str(other.pk)})
    assert [r["service_code"] for r in by_service.json()] == [str(other.pk)]
    future = client.get(f"{BASE}/requests.json", {"start_date": "2099-01-01T00:00:00Z"})
    assert future.json() == []
    past = client.get(
        f"{BASE}/requests.json", {"end_date": "2000-01-01T00:00:00+08:00"}
    )
    assert past.json() == []


def test_bad_list_parameters_are_400s(client, db):
    for params in (
        {"status": "pending"},
        {"status": "open,pending"},
        {"start_date": "yesterday"},
        {"start_date": "0001-01-01T00:00:00+14:00"},  # overflows in the query
        {"end_date": "2024-02-30T00:00:00Z"},
        {"service_code": "water"},
        {"service_code": "¹7"},  # isdigit(), yet no number: found by schemathesis
    ):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400


def test_a_request_without_a_description_or_with_a_bad_kind_is_a_400(
    category, client, api_key
):
    response = file(
        client, category, description=" ", api_key=api_key, **{"attribute[kind]": "x"}
    )
    assert response.status_code == 400
    assert len(response.json()) == 2
    assert not Demand.objects.exists()


def test_an_unknown_service_is_a_404(world, client, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        {"service_code": "424242", "description": "路燈", "api_key": api_key},
    )
    assert response.status_code == 404
    assert not Demand.objects.exists()


def test_a_bad_api_key_is_a_403(category, client):
    response = file(client, category, api_key="sf_nonsense")
    assert response.status_code == 403
    assert not Demand.objects.exists()


def test_a_revoked_api_key_is_a_403(world, category, client):
    token, key = issue_token(world.clerk, name="hotline", actor=world.clerk)
    revoke_token(token, actor=world.clerk)
    assert file(client, category, api_key=key).status_code == 403
    assert not Demand.objects.exists()


def test_a_json_body_is_accepted_too(category, client, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": str(category.pk),
            "description": "路燈壞了",
            "api_key": api_key,
        },
        content_type="application/json",
    )
    assert response.status_code == 201


def test_other_methods_are_refused(client, db):
    assert client.delete(f"{BASE}/requests.json").status_code == 405
    assert client.post(f"{BASE}/services.json").status_code == 405


def test_both_statuses_may_be_asked_for_at_once(world, category, client, api_key):
    for reply in (True, False):
        [created] = file(client, category, allow_publish="1", api_key=api_key).json()
        demand = Demand.objects.get(tracking_no=created["service_request_id"])
        demand = actions.dispatch_demand(demand, world.unit_a, actor=world.director)
        demand = actions.accept_demand(demand, actor=world.liaison_a)
        if reply:
            actions.reply_demand(
                demand, reply="已辦。", solved=True, actor=world.liaison_a
            )
    response = client.get(f"{BASE}/requests.json", {"status": "open,closed"})
    assert response.status_code == 200
    assert [r["status"] for r in response.json()] == ["closed"]


def test_every_endpoint_answers_in_xml_too(world, category, client, api_key):
    from xml.etree import ElementTree

    def xml(url, **params):  # type: ignore[no-untyped-def]
        response = client.get(url, params)
        assert response["Content-Type"].startswith("text/xml"), url
        return response.status_code, ElementTree.fromstring(response.content)

    status, root = xml(f"{BASE}/discovery.xml")
    assert (status, root.tag) == (200, "discovery")
    assert root.find("endpoints/endpoint/url").text.endswith("/open311/v2/")
    assert "text/xml" in [
        f.text for f in root.findall("endpoints/endpoint/formats/format")
    ]
    status, root = xml(f"{BASE}/services.xml")
    assert root.tag == "services"
    assert root.find("service/service_code").text == str(category.pk)
    assert root.find("service/metadata").text == "true"
    status, root = xml(f"{BASE}/services/{category.pk}.xml")
    assert root.tag == "service_definition"
    kinds = root.findall("attributes/attribute")[0].findall("values/value/key")
    assert {k.text for k in kinds} == set(DemandKind.values)

    posted = client.post(
        f"{BASE}/requests.xml",
        {
            "service_code": str(category.pk),
            "description": "路燈壞了\x0b三天",
            "api_key": api_key,
        },
    )
    assert posted.status_code == 201
    created = ElementTree.fromstring(posted.content)
    number = created.findtext("request/service_request_id")
    token = created.findtext("request/token")
    status, root = xml(f"{BASE}/tokens/{token}.xml")
    assert root.findtext("request/service_request_id") == number
    status, root = xml(f"{BASE}/requests/{number}.xml")
    assert (status, root.tag) == (200, "service_requests")
    assert root.find("request/status").text == "open"
    status, root = xml(f"{BASE}/requests.xml", status="pending")
    assert (status, root.tag) == (400, "errors")
    assert root.find("error/code").text == "400"
    status, root = xml(f"{BASE}/requests/2099010100000001.xml")
    assert (status, root.find("error/code").text) == (404, "404")


def test_a_token_finds_its_request_and_nothing_else(category, client, api_key):
    [created] = file(client, category, api_key=api_key).json()
    token = created["token"]
    assert len(token) == 32
    [found] = client.get(f"{BASE}/tokens/{token}.json").json()
    assert found == {
        "service_request_id": created["service_request_id"],
        "token": token,
    }
    for wrong in ("0" * 32, token.upper(), token[:-1], "x"):
        assert client.get(f"{BASE}/tokens/{wrong}.json").status_code == 404


def test_the_point_the_address_and_the_email_are_kept_for_the_submitter_only(
    category, client, api_key
):
    [created] = file(
        client,
        category,
        api_key=api_key,
        lat="23.1291234",
        long="113.264385",
        email="lisi@example.org",
    ).json()
    demand = Demand.objects.get(tracking_no=created["service_request_id"])
    assert (str(demand.latitude), str(demand.longitude)) == ("23.129123", "113.264385")
    assert demand.location == "天河區某路 12 號"
    assert demand.submitter_email == "lisi@example.org"
    url = f"{BASE}/requests/{demand.tracking_no}.json"
    [own] = code_get(client, url, created["query_code"]).json()
    assert (own["lat"], own["long"]) == (23.129123, 113.264385)
    assert own["address"] == "天河區某路 12 號"
    [public] = client.get(url).json()
    assert (public["lat"], public["long"], public["address"]) == (None, None, "")
    for response in (client.get(url), code_get(client, url, created["query_code"])):
        assert "lisi@example.org" not in response.content.decode()


@pytest.mark.parametrize(
    "extra",
    [
        {"lat": "23.1"},
        {"long": "113.2"},
        {"lat": "91", "long": "113"},
        {"lat": "23", "long": "-181"},
        {"lat": "NaN", "long": "113"},
        {"lat": "北緯23", "long": "113"},
        {"email": "not-an-address"},
    ],
)
def test_a_bad_point_or_email_is_a_400_and_nothing_is_filed(
    category, client, api_key, extra
):
    response = file(client, category, api_key=api_key, **extra)
    assert response.status_code == 400
    assert not Demand.objects.exists()


def test_an_address_id_names_a_district_or_street_of_the_jurisdiction(
    world, category, client, api_key
):
    street = street_in(world.campaign, "天河區", "五山街道")
    [created] = file(
        client, category, api_key=api_key, address_id=str(street.pk), address_string=""
    ).json()
    demand = Demand.objects.get(tracking_no=created["service_request_id"])
    assert demand.area == street
    url = f"{BASE}/requests/{demand.tracking_no}.json"
    [own] = code_get(client, url, created["query_code"]).json()
    # with no address_string, the district and street are the address
    assert (own["address_id"], own["address"]) == (str(street.pk), "天河區五山街道")
    [public] = client.get(url).json()
    assert public["address_id"] is None


@pytest.mark.parametrize("address_id", ["999999", "x", "-1", "1" * 30, "other"])
def test_an_address_id_of_no_area_here_is_a_400_and_nothing_is_filed(
    category, client, api_key, address_id
):
    other = AreaFactory.create(name="外地區")
    wrong = str(other.pk) if address_id == "other" else address_id
    response = file(client, category, api_key=api_key, address_id=wrong)
    assert response.status_code == 400
    assert not Demand.objects.exists()
