"""A demand's place: the campaign's districts and streets on the public and the
office forms, an optional point, and where the place is shown again."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import Refused
from demands.models import Area, Demand
from demands.places import parse_point
from demands.tests.factories import AreaFactory, street_in, submit_test_demand
from text.script import to_simplified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def street(world) -> Area:
    return street_in(world.campaign, "海珠區", "濱江街道")


def public_form(world, **extra) -> dict[str, str]:
    data = {
        "kind": "help",
        "urgency": "normal",
        "title": "江堤護欄鬆動",
        "content": "江堤護欄鬆動，晨練老人容易跌倒。",
        "location": "濱江東路 88 號",
    }
    data.update(extra)
    return data


def submit_url(world) -> str:
    return reverse("demands:submit", kwargs={"campaign_slug": world.campaign.slug})


def test_the_public_form_offers_the_campaigns_districts_and_streets(
    client, world, street
):
    AreaFactory.create(campaign=world.campaign, name="停用區", is_active=False)
    AreaFactory.create(name="別的活動的區")
    html = client.get(submit_url(world)).text
    assert f'<optgroup label="{to_simplified("海珠區")}">' in html
    assert f'value="{street.pk}">{to_simplified("濱江街道")}</option>' in html
    assert to_simplified("停用區") not in html
    assert to_simplified("別的活動的區") not in html
    # the point comes from the browser when it can; the map only with tiles
    assert "data-place-locate" in html
    assert "data-place-map" not in html


def test_a_demand_is_filed_with_its_street_and_point(client, world, street):
    response = client.post(
        submit_url(world),
        public_form(
            world,
            area=str(street.pk),
            latitude="23.10987654",
            longitude="113.3012346",
        ),
    )
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.area == street
    assert demand.location == "濱江東路 88 號"
    assert (demand.latitude, demand.longitude) == (
        Decimal("23.109877"),
        Decimal("113.301235"),
    )


def test_the_plain_address_form_needs_no_point(client, world, street):
    district = street.district
    response = client.post(submit_url(world), public_form(world, area=district.pk))
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.area == district
    assert demand.latitude is None and demand.longitude is None


@pytest.mark.parametrize(
    "extra",
    [
        {"latitude": "23.1"},
        {"longitude": "113.2"},
        {"latitude": "91", "longitude": "113"},
        {"latitude": "北緯23", "longitude": "113"},
        {"area": "999999"},
    ],
)
def test_a_bad_place_is_refused_with_a_message_and_nothing_is_filed(
    client, world, street, extra
):
    response = client.post(submit_url(world), public_form(world, **extra))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Demand.objects.exists()


def test_another_campaigns_street_is_not_offered_nor_taken(client, world):
    elsewhere = AreaFactory.create(name="外地區")
    response = client.post(submit_url(world), public_form(world, area=elsewhere.pk))
    assert "area" in response.context["form"].errors
    assert not Demand.objects.exists()


def test_the_map_is_shown_only_with_the_deployments_tiles(client, world, settings):
    settings.SANFU_MAP = {
        "TILE_URL": "https://tiles.example.gov.cn/{z}/{x}/{y}.png",
        "CENTER": ["23.1291", "113.2644"],
        "ZOOM": 11,
    }
    html = client.get(submit_url(world)).text
    assert "data-place-map" in html
    assert 'data-tiles="https://tiles.example.gov.cn/{z}/{x}/{y}.png"' in html


def test_the_office_enters_a_demand_with_its_street_and_point(login, world, street):
    response = login(world.clerk).post(
        reverse("demands_office:intake"),
        {
            "campaign": world.campaign.pk,
            "channel": "phone",
            "kind": "complaint",
            "urgency": "normal",
            "title": "夜間施工擾民",
            "content": "工地每晚施工到凌晨。",
            "area": street.pk,
            "location": "濱江東路",
            "latitude": "23.11",
            "longitude": "113.30",
        },
    )
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.area == street
    assert (demand.latitude, demand.longitude) == (Decimal("23.11"), Decimal("113.3"))


def test_the_office_sees_the_place_on_the_demand_page(login, world, street):
    demand = submit_test_demand(
        world,
        area=street,
        location="濱江東路 88 號",
        point=(Decimal("23.109876"), Decimal("113.301234")),
    )
    html = (
        login(world.director)
        .get(reverse("demands_office:detail", args=[demand.pk]))
        .text
    )
    assert '<dd class="demand-area">海珠區濱江街道</dd>' in html
    assert "濱江東路 88 號" in html
    assert "23.109876, 113.301234" in html


def test_the_tracking_page_shows_the_place_but_no_person(client, world, street):
    demand, code = submit_test_demand_with_code(world, street)
    client.post(
        reverse("demands:track"),
        {"tracking_no": demand.tracking_no, "query_code": code},
    )
    html = client.get(reverse("demands:status")).text
    assert to_simplified("海珠區濱江街道") in html
    assert "23.109876, 113.301234" in html
    # the address's telephone number is masked; the name is nowhere
    assert "13812345678" not in html and "138****5678" in html
    assert "張" not in html and "张" not in html


def submit_test_demand_with_code(world, street):
    from demands import actions

    return actions.submit_demand(
        world.campaign,
        kind="help",
        title="江堤護欄鬆動",
        content="江堤護欄鬆動。",
        urgency="normal",
        area=street,
        location="濱江東路 88 號，電話13812345678",
        point=(Decimal("23.109876"), Decimal("113.301234")),
        submitter_name="張三豐",
        submitter_phone="13812345678",
    )


def test_the_action_refuses_another_campaigns_area(world):
    with pytest.raises(Refused) as refused:
        submit_test_demand(world, area=AreaFactory.create(name="外地區"))
    assert refused.value.code == "foreign_area"
    assert list(refused.value.message_dict) == ["area"]


def test_a_street_sits_in_a_district_of_its_own_campaign(world, street):
    deeper = Area(campaign=world.campaign, district=street, name="某社區")
    with pytest.raises(ValidationError, match="district"):
        deeper.full_clean()
    other = AreaFactory.create(name="外地區")
    stray = Area(campaign=world.campaign, district=other, name="某街道")
    with pytest.raises(ValidationError):
        stray.full_clean()


@pytest.mark.parametrize(
    ("lat", "long", "point"),
    [
        ("", "", None),
        (" 23.1 ", "113.2", (Decimal("23.100000"), Decimal("113.200000"))),
        ("-90", "180", (Decimal("-90.000000"), Decimal("180.000000"))),
    ],
)
def test_a_point_is_both_or_neither_on_the_earth(lat, long, point):
    assert parse_point(lat, long) == point
    for bad in (("23", ""), ("", "113"), ("inf", "1"), ("1", "181")):
        with pytest.raises(ValidationError):
            parse_point(*bad)
