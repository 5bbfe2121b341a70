"""On the demo's data, the leader sees the rising hotspots on the cockpit, and the
office director makes one a practical deed linked to its demands, in a browser."""

import pytest
from playwright.sync_api import expect

from demands.models import Hotspot
from ledgers.models import PracticalDeed
from sanfu.demo import DEMO_PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(transactional_demo):  # type: ignore[no-untyped-def]
    return Hotspot.objects.filter(rising=True).order_by("-growth")


def test_the_leader_sees_the_rising_hotspots_with_their_trend(demo, browser_page):
    page = browser_page
    sign_in(page, "yuezhongming", DEMO_PASSWORD)

    page.goto("/admin/cockpit/")

    rows = page.locator("#hotspots tr.hotspot-row")
    expect(rows).to_have_count(demo.count())
    assert demo.count() >= 2
    expect(rows.first.locator("svg.cockpit-spark polyline")).to_have_count(1)
    rows.first.locator("a").click()
    page.wait_for_url("**/admin/cockpit/hotspots/*/")
    expect(page.locator("tr.hotspot-demand")).to_have_count(demo.first().size)
    expect(page.locator("button[name=make_deed]")).to_have_count(0)


def test_the_office_makes_a_hotspot_a_deed_linked_to_its_demands(demo, browser_page):
    hotspot = demo.first()
    tracking = sorted(
        str(n) for n in hotspot.demands.values_list("tracking_no", flat=True)
    )
    page = browser_page
    sign_in(page, "caishangtu", DEMO_PASSWORD)
    page.goto("/admin/cockpit/")
    page.locator("#hotspots tr.hotspot-row a").first.click()
    page.wait_for_url(f"**/admin/cockpit/hotspots/{hotspot.pk}/")

    page.click("button[name=make_deed]")

    page.wait_for_url("**/admin/ledgers/deeds/*/")
    listed = page.locator(".ledger-hotspot li.hotspot-demand")
    expect(listed).to_have_count(len(tracking))
    deed = PracticalDeed.objects.get(hotspot=hotspot)
    linked = deed.demands.values_list("tracking_no", flat=True)
    assert sorted(str(number) for number in linked) == tracking
    # the chain back: a demand's page names the deed and opens it
    listed.first.locator("a").click()
    page.wait_for_url("**/admin/demands/*/")
    link = page.locator(f".ledger-trace a[href$='/ledgers/deeds/{deed.pk}/']")
    expect(link).to_have_count(1)
