"""The office dispatches a demand in one click and the unit accepts and replies to
it, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Campaign
from demands import actions
from demands.models import Category, Demand, DemandKind, DemandStatus, Urgency
from org.models import Unit
from sanfu.demo import DEMO_PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demand(transactional_demo: None) -> Demand:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    campaign = Campaign.objects.get(slug="sanfu-2007")
    category = Category.objects.create(
        campaign=campaign,
        name="防汛排澇",
        main_task=campaign.main_tasks.all()[0],
        default_unit=Unit.objects.get(
            organisation=campaign.organisation, name="規劃計劃處"
        ),
    )
    demand, _code = actions.submit_demand(
        campaign,
        kind=DemandKind.HELP,
        title="村口水渠堵塞",
        content="雨季將至，村口水渠堵塞，請幫助疏通。",
        urgency=Urgency.URGENT,
        category=category,
        submitter_name="張三",
        submitter_phone="13812345678",
    )
    return demand


# a reply the checks before sending pass (demands.reply_checks): sent in one click
REPLY = "12月3日上午電話聯繫張三，當天派人疏通水渠，現已暢通。"


def log_in(page: Page, username: str) -> None:
    sign_in(page, username, DEMO_PASSWORD)


def test_the_office_dispatches_in_one_click_and_the_unit_accepts_and_replies(
    demand, browser_page
):
    page = browser_page
    detail = f"/admin/demands/{demand.pk}/"
    status = page.locator("[data-status]")

    log_in(page, "caishangtu")
    page.goto("/admin/demands/")
    page.click(f"a[href='{detail}']")
    expect(page.locator("select[name=unit] option:checked")).to_have_text("規劃計劃處")
    page.click("button[name=dispatch]")
    expect(status).to_have_attribute("data-status", DemandStatus.DISPATCHED)

    log_in(page, "guihua_liaison")
    page.goto(detail)
    expect(page.locator(".demand-submitter")).to_contain_text("13812345678")
    page.click("button[name=accept]")
    expect(status).to_have_attribute("data-status", DemandStatus.ACCEPTED)
    page.fill("textarea[name=reply]", REPLY)
    page.check("input[name=solved][value=yes]")
    page.click("button[name=reply_submit]")
    expect(status).to_have_attribute("data-status", DemandStatus.REPLIED)
    expect(page.locator(".demand-reply")).to_have_text(REPLY)
