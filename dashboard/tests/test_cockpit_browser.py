"""The leader opens the cockpit and drills from the overdue count to the overdue
demands, in a real browser."""

import re

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

    page.wait_for_url("**/admin/demands/?campaign=*&overdue=on")
    rows = page.locator("table.demand-list tr[data-demand]")
    expect(rows).to_have_count(2)
    expect(page.get_by_text(demand_set["late_a"].tracking_no)).to_be_visible()
    expect(page.get_by_text(demand_set["late_b"].tracking_no)).to_be_visible()
    expect(page.get_by_text(demand_set["on_time"].tracking_no)).to_have_count(0)


def test_a_pie_slice_opens_the_demands_of_its_main_task(
    world, demand_set, browser_page
):
    page = browser_page
    page.goto("/admin/login/")
    page.fill("input[name=username]", world.director.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/admin/cockpit/")
    pie = page.locator("#chart-tasks")
    expect(pie.locator("canvas")).to_have_count(1)
    pie.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the pie's opening animation
    box = pie.bounding_box()
    assert box is not None
    # the first slice starts at twelve o'clock: just above the pie's centre
    page.mouse.click(box["x"] + box["width"] / 2 + 2, box["y"] + box["height"] * 0.3)
    page.wait_for_url(re.compile(r"/admin/demands/\?.*main_task="))
    first_task = demand_set["late_a"].main_task
    assert f"main_task={first_task.pk}" in page.url
    expect(page.locator("#match-count")).to_contain_text("1")
    expect(page.locator("table.demand-list tr[data-demand]")).to_have_count(1)
