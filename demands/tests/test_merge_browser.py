"""Merged duplicates in a real browser: the office merges a duplicate into its parent
order on the suggestion, the unit answers the parent, both requesters read the
reply on their tracking pages and rate it, and the figures count the parent once."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Campaign
from demands import actions, metrics
from demands.models import (
    Area,
    Category,
    Demand,
    DemandKind,
    DemandStatus,
    Rating,
    Urgency,
)
from demands.tests.test_office_browser import log_in
from org.models import Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def pair(transactional_demo: None) -> dict[str, Any]:
    """Two requesters report the same blocked ditch (made before Playwright starts:
    a database connection opened inside it would outlive the test)."""
    campaign = Campaign.objects.get(slug="sanfu-2007")
    category = Category.objects.create(
        campaign=campaign,
        name="防汛排澇",
        main_task=campaign.main_tasks.all()[0],
        default_unit=Unit.objects.get(
            organisation=campaign.organisation, name="規劃計劃處"
        ),
    )
    area = Area.objects.create(campaign=campaign, name="合併測試區")
    parent, parent_code = actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="雨季將至，村口水渠堵塞，請幫助疏通。",
        urgency=Urgency.NORMAL,
        category=category,
        area=area,
        submitter_name="張三",
        submitter_phone="13812345678",
    )
    child, child_code = actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="村口水渠又堵了",
        content="村口水渠堵塞，雨季將至，請盡快疏通。",
        urgency=Urgency.NORMAL,
        category=category,
        area=area,
        submitter_name="李四",
        submitter_phone="13900001111",
    )
    return {
        "campaign": campaign,
        "parent": parent,
        "parent_code": parent_code,
        "child": child,
        "child_code": child_code,
        "before": metrics.report(campaign).total,
    }


def track_and_rate(page: Page, demand: Demand, code: str, reply: str) -> None:
    page.context.clear_cookies()
    page.goto("/demands/track/")
    page.fill("input[name=tracking_no]", demand.tracking_no or "")
    page.fill("input[name=query_code]", code)
    page.click("main button[type=submit]")
    expect(page).to_have_url("/demands/track/status/")
    expect(page.locator(".reply-text")).to_contain_text(reply)
    page.check(f"input[name=rating][value={Rating.SATISFIED}]")
    page.click(".rating button[type=submit]")
    expect(page.locator(".rating")).to_have_count(0)


def figures(page: Page, campaign: Campaign) -> tuple[str, str]:
    """The figures screen's count of merged demands and its total received."""
    page.goto(f"/admin/demands/metrics/?campaign={campaign.pk}")
    note = page.locator(".demand-merged-note")
    total = page.locator("table[data-grouping=unit] tfoot td").first
    return note.get_attribute("data-merged") or "", total.inner_text().strip()


def test_merge_answer_the_parent_and_both_requesters_read_and_rate(pair, browser_page):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # the steps' confirmations
    parent, child, campaign = pair["parent"], pair["child"], pair["campaign"]
    status = page.locator("[data-status]")
    received_before = pair["before"].received

    # the office merges the duplicate on the suggestion its page makes
    log_in(page, "caishangtu")
    merged_before, total_before = figures(page, campaign)
    assert (merged_before, total_before) == ("0", str(received_before))
    page.goto(f"/admin/demands/{child.pk}/")
    suggestion = page.locator(f"[data-merge-suggestion='{parent.tracking_no}']")
    expect(suggestion).to_be_visible()
    suggestion.locator("button[name=merge_suggested]").click()
    expect(status).to_have_attribute("data-status", DemandStatus.MERGED)
    expect(page.locator(".demand-merged-into")).to_contain_text(parent.tracking_no)
    expect(page.locator("#step-dispatch")).to_have_count(0)

    # the parent lists it, and is dispatched as usual
    page.goto(f"/admin/demands/{parent.pk}/")
    expect(page.locator(f"[data-merged-child='{child.tracking_no}']")).to_be_visible()
    page.click("button[name=dispatch]")
    expect(status).to_have_attribute("data-status", DemandStatus.DISPATCHED)

    # the unit answers the parent only
    log_in(page, "guihua_liaison")
    page.goto(f"/admin/demands/{parent.pk}/")
    page.click("button[name=accept]")
    expect(status).to_have_attribute("data-status", DemandStatus.ACCEPTED)
    # a reply the checks before sending pass (demands.reply_checks): sent in one click
    reply = "12月7日上午电话联系两位反映人，当天派人疏通村口水渠，现已畅通。"
    page.fill("textarea[name=reply]", reply)
    page.check("input[name=solved][value=yes]")
    page.click("button[name=reply_submit]")
    expect(status).to_have_attribute("data-status", DemandStatus.REPLIED)

    # each requester reads the reply on their own tracking page and rates it
    track_and_rate(page, parent, pair["parent_code"], reply)
    track_and_rate(page, child, pair["child_code"], reply)
    assert Demand.objects.get(pk=child.pk).rating == Rating.SATISFIED
    assert Demand.objects.get(pk=parent.pk).rating == Rating.SATISFIED

    # the figures count the parent once, and say so
    log_in(page, "caishangtu")
    merged_after, total_after = figures(page, campaign)
    assert (merged_after, total_after) == ("1", str(received_before - 1))
    after = metrics.report(campaign).total
    assert after.rated == pair["before"].rated + 1
    assert after.replied == pair["before"].replied + 1
