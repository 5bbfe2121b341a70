"""The leader opens the cockpit and drills from the overdue count to the overdue
demands, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from org.tests.factories import PASSWORD
from sanfu.tests.browser import sign_in

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
    expect(page.locator("#chart-units svg")).to_have_count(1)
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
    sign_in(page, world.director.username, PASSWORD)
    page.goto("/admin/cockpit/")
    pie = page.locator("#chart-tasks")
    expect(pie.locator("svg")).to_have_count(1)
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


# every text the chart draws, with its box, and the chart's own box
_TEXT_BOXES = """node => {
    const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    return {
        chart: box(node.getBoundingClientRect()),
        texts: [...node.querySelectorAll("svg text")]
            .filter(t => t.textContent.trim())
            .map(t => ({text: t.textContent, ...box(t.getBoundingClientRect())})),
    };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


@pytest.mark.parametrize("width", [1366, 1400])
def test_the_unit_chart_labels_keep_clear_of_the_legend_and_its_box(
    world, demand_set, browser_page, width
):
    # unit names as long as a water commission's
    world.unit_a.name = "珠江流域水資源保護局規劃計劃處"
    world.unit_a.save()
    world.unit_b.name = "水文局廣州分局水情監測中心"
    world.unit_b.save()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, world.director.username, PASSWORD)
    page.goto("/admin/cockpit/")
    chart = page.locator("#chart-units")
    chart.scroll_into_view_if_needed()
    legend = set(
        page.evaluate(
            "() => Object.values(JSON.parse("
            "document.getElementById('cockpit-data').textContent).labels)"
        )
    )
    # the names are drawn, cut to the label's width
    names = chart.locator("svg text").filter(has_text=re.compile("^(珠江|水文)"))
    expect(names).to_have_count(2)
    page.wait_for_timeout(1200)  # the bars' opening animation

    drawn = chart.evaluate(_TEXT_BOXES)
    keys = [t for t in drawn["texts"] if t["text"] in legend]
    labels = [t for t in drawn["texts"] if t["text"] not in legend]
    assert len(keys) == 2 and labels, drawn["texts"]
    for key in keys:
        for label in labels:
            assert not _overlap(key, label), (key, label)
    box = drawn["chart"]
    for text in drawn["texts"]:  # nothing cut off at the chart's edges
        assert box["left"] <= text["left"] and text["right"] <= box["right"] + 0.5, text
        assert box["top"] <= text["top"] and text["bottom"] <= box["bottom"] + 0.5, text
