"""A third-party GeoReport v2 client from PyPI (``georeport``) drives our Open311
endpoint over HTTP, in XML and in JSON: it lists the services, reads a service's
definition, and reads back by number the request it filed with a point, an address
and a district and street of the campaign (``address_id``). ``georeport`` files
nothing and knows no tokens, so those two calls are made as any client makes them:
a form POST to ``requests.{format}`` and a GET of ``tokens/{token}.{format}``,
parsed by the same XML reader the client uses."""

from decimal import Decimal

import pytest
import requests
import xmltodict
from georeport import GeoReport

from demands.models import Demand
from demands.tests.factories import street_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_third_party_client_files_and_reads_back_a_request(
    live_server, world, category, api_key, fmt
):
    root = f"{live_server.url}/open311/v2"
    street = street_in(world.campaign, "海珠區", "濱江街道")
    client = GeoReport(root, jurisdiction=world.campaign.slug, output_format=fmt)

    services = client.get_service_list()
    service = services if isinstance(services, dict) else services[0]
    assert service["service_code"] == str(category.pk)
    definition = client.get_service_definition(str(category.pk))
    assert definition["service_code"] == str(category.pk)

    posted = requests.post(
        f"{root}/requests.{fmt}",
        data={
            "api_key": api_key,
            "jurisdiction_id": world.campaign.slug,
            "service_code": str(category.pk),
            "description": "江堤護欄鬆動，晨練老人容易跌倒。",
            "address_string": "海珠區濱江東路 88 號",
            "address_id": str(street.pk),
            "lat": "23.109876",
            "long": "113.301234",
            "email": "wangwu@example.org",
        },
        timeout=30,
    )
    assert posted.status_code == 201
    if fmt == "xml":
        created = xmltodict.parse(posted.content)["service_requests"]["request"]
    else:
        [created] = posted.json()
    number, token = created["service_request_id"], created["token"]

    by_token = requests.get(f"{root}/tokens/{token}.{fmt}", timeout=30)
    assert by_token.status_code == 200
    if fmt == "xml":
        found = xmltodict.parse(by_token.content)["service_requests"]["request"]
    else:
        [found] = by_token.json()
    assert found["service_request_id"] == number

    request = client.get_service_request(number)
    assert request["service_request_id"] == number
    assert request["status"] == "open"
    assert request["service_code"] == str(category.pk)
    # what the public reads by number: the state, not the place or the text
    assert not request["address"] and not request["description"]
    assert not request["address_id"] and not request["lat"]

    # its submitter, with the query code, reads the place it gave
    own = requests.get(
        f"{root}/requests/{number}.{fmt}",
        headers={"X-Query-Code": created["query_code"]},
        timeout=30,
    )
    if fmt == "xml":
        mine = xmltodict.parse(own.content)["service_requests"]["request"]
    else:
        [mine] = own.json()
    assert mine["address"] == "海珠區濱江東路 88 號"
    assert mine["address_id"] == str(street.pk)
    assert float(mine["lat"]) == 23.109876 and float(mine["long"]) == 113.301234
    assert "wangwu@example.org" not in own.text

    # kept on the demand, as the office reads it
    demand = Demand.objects.get(tracking_no=number)
    assert demand.area == street and demand.location == "海珠區濱江東路 88 號"
    assert (demand.latitude, demand.longitude) == (
        Decimal("23.109876"),
        Decimal("113.301234"),
    )
