"""The leader opens the cockpit and drills from the overdue count to the overdue
demands, in a real browser."""

import pytest
from playwright.sync_api import expect

from org.tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_leader_drills_from_the_overdue_count_to_the_overdue_rows(
    world, demand_set, browser_page
):
    page = browser_page
    page.goto("/admin/login/")
    page.fill("input[name=username]", world.leader.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#cockpit-panel-heading")).to_be_visible()

    page.goto("/admin/cockpit/")
    overdue = page.locator("#overdue-count")
    expect(overdue).to_have_text("2")
    # the charts are drawn from the project's own ECharts
    expect(page.locator("#chart-units canvas")).to_have_count(1)
    overdue.click()

    page.wait_for_url("**/admin/demands/?overdue=on")
    rows = page.locator("table.demand-list tr[data-demand]")
    expect(rows).to_have_count(2)
    expect(page.get_by_text(demand_set["late_a"].tracking_no)).to_be_visible()
    expect(page.get_by_text(demand_set["late_b"].tracking_no)).to_be_visible()
    expect(page.get_by_text(demand_set["on_time"].tracking_no)).to_have_count(0)
