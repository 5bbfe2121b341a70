"""The office director starts the 2021 campaign by copying the 2007 one, in a real
browser, and a member of the public files a demand into it."""

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from demands.models import Category, Demand
from sanfu.demo import DEMO_PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def source(transactional_demo: None) -> Campaign:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    return Campaign.objects.get(slug="sanfu-2007")


def test_the_office_director_copies_a_campaign_and_the_public_files_into_it(
    source, browser_page
):
    page = browser_page
    sign_in(page, "caishangtu", DEMO_PASSWORD)

    page.goto(f"/admin/campaign/copy/{source.pk}/")
    page.fill("input[name=name]", "「我為群眾辦實事」實踐活動")
    page.fill("input[name=slug]", "banshishi-2021")
    page.fill("input[name=theme]", "我為群眾辦實事")
    page.fill("input[name=starts_on]", "2021-03-01")
    page.fill("input[name=ends_on]", "2021-12-31")
    page.select_option("select[name=status]", "active")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".messages")).to_contain_text("我為群眾辦實事")

    copied = Campaign.objects.get(slug="banshishi-2021")
    service = Category.objects.filter(campaign=copied).order_by("pk").first()
    assert service is not None, "the dispatch catalogue came along"

    page.context.clear_cookies()
    page.goto("/demands/banshishi-2021/new/")
    page.select_option("select[name=kind]", "help")
    page.select_option("select[name=category]", str(service.pk))
    page.fill("input[name=title]", "河堤護欄鬆動")
    page.fill(
        "textarea[name=content]", "河堤護欄鬆動，老人晨練時容易跌倒，請儘快加固。"
    )
    page.fill("input[name=submitter_phone]", "13812345678")
    page.click("main button[type=submit]")
    expect(page.locator(".tracking-no")).to_be_visible()

    filed = Demand.objects.get(title="河堤護欄鬆動")
    assert filed.campaign == copied
    assert filed.category == service
    assert not Demand.objects.filter(campaign=source, title="河堤護欄鬆動").exists()
