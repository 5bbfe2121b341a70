"""A unit liaison drafts and submits its plan; the comprehensive group returns it
with a comment; the liaison fixes and resubmits it and it is approved; the office's
list of units without a submitted plan no longer names the unit. In a real browser."""

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Campaign
from org.models import Unit
from sanfu.demo import DEMO_PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(transactional_demo: None) -> tuple[int, int]:
    campaign = Campaign.objects.get(slug="sanfu-2007")
    unit = Unit.objects.get(organisation=campaign.organisation, name="規劃計劃處")
    return campaign.pk, unit.pk


def log_in(page: Page, username: str) -> None:
    sign_in(page, username, DEMO_PASSWORD)


def add_measure(page: Page, content: str) -> None:
    step = page.locator("#step-measure")
    step.locator("select[name=main_task]").select_option(label="服務基層")
    step.locator("textarea[name=content]").fill(content)
    step.locator("input[name=owner]").fill("李四")
    step.locator("input[name=deadline]").fill("2007-06-30")
    step.locator("button[name=add-measure]").click()
    expect(page.locator("#measures")).to_contain_text(content)


def test_a_unit_plan_is_returned_fixed_and_approved(demo, browser_page):
    campaign, unit = demo
    page = browser_page
    not_submitted = f"/admin/plans/{campaign}/not-submitted/"

    log_in(page, "caishangtu")
    page.goto(not_submitted)
    expect(page.locator("#not-submitted")).to_contain_text("規劃計劃處")

    log_in(page, "guihua_liaison")
    page.goto("/admin/plans/")
    start = page.locator(f"#start-{campaign}-{unit}")
    start.locator("input[name=title]").fill("規劃計劃處實施方案")
    start.locator("button[name=start]").click()
    expect(page.locator(".plans-status")).to_have_attribute("data-status", "draft")
    plan_url = page.url
    add_measure(page, "深入基層開展調研")
    page.locator("button[name=submit-plan]").click()
    expect(page.locator(".plans-status")).to_have_attribute("data-status", "submitted")

    log_in(page, "zonghe")
    page.goto(plan_url)
    page.locator("button[name=return]").click()  # no comment yet: refused
    expect(
        page.locator("#step-review .error-message, #step-review .help-critical").first
    ).to_be_visible()
    expect(page.locator(".plans-status")).to_have_attribute("data-status", "submitted")
    page.locator("#step-review textarea[name=comment]").fill("措施要寫明完成標準")
    page.locator("button[name=return]").click()
    expect(page.locator(".plans-status")).to_have_attribute("data-status", "returned")

    log_in(page, "guihua_liaison")
    page.goto(plan_url)
    expect(page.locator(".plans-comment")).to_contain_text("措施要寫明完成標準")
    add_measure(page, "每季度走訪兩個基層單位，形成調研報告")
    page.locator("button[name=submit-plan]").click()
    expect(page.locator(".plans-status")).to_have_attribute("data-status", "submitted")

    log_in(page, "zonghe")
    page.goto(plan_url)
    page.locator("button[name=approve]").click()
    expect(page.locator(".plans-status")).to_have_attribute("data-status", "approved")

    log_in(page, "caishangtu")
    page.goto(not_submitted)
    expect(page.locator("#not-submitted")).not_to_contain_text("規劃計劃處")
    expect(page.locator("#not-submitted")).to_contain_text("水政水資源處")
