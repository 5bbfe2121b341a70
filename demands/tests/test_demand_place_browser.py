"""On a phone, a person picks a district and street and lets the browser give
the point; the demand keeps both."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demands.models import Demand
from demands.tests.factories import street_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def street(world):  # type: ignore[no-untyped-def]
    # made before Playwright starts (see conftest.browser_page)
    cache.clear()
    return street_in(world.campaign, "海珠區", "濱江街道")


def test_use_my_location_fills_the_point_and_the_demand_keeps_it(
    world, street, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 23.109876, "longitude": 113.301234})
    page.goto(f"/demands/{world.campaign.slug}/new/")
    page.fill("input[name=title]", "江堤護欄鬆動")
    page.fill("textarea[name=content]", "江堤護欄鬆動，晨練老人容易跌倒。")
    page.select_option("select[name=area]", str(street.pk))
    page.fill("input[name=location]", "濱江東路 88 號")
    page.click("[data-place-locate]")
    expect(page.locator("[data-place-latitude]")).to_have_value("23.109876")
    expect(page.locator("[data-place-longitude]")).to_have_value("113.301234")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("form.demand-form button[type=submit]")
    expect(page.locator(".tracking-no")).to_be_visible()
    demand = Demand.objects.get()
    assert demand.area_id == street.pk
    assert (demand.latitude, demand.longitude) == (
        Decimal("23.109876"),
        Decimal("113.301234"),
    )
