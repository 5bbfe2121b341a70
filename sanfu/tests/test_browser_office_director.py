"""A person's walk through the site in a real browser."""

import pytest
from playwright.sync_api import expect

from sanfu.demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_office_director_logs_in_and_sees_the_campaign_structure(
    transactional_demo, browser_page
):
    page = browser_page
    page.goto("/admin/")
    page.fill("input[name=username]", "caishangtu")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    panel = page.locator(".campaign-structure")
    expect(panel).to_contain_text("實踐活動領導小組")
    for text in (
        "岳中明",
        "黃遠亮",
        "蔡尚途",
        "綜合組",
        "宣傳組",
        "服務基層",
        "促進發展",
    ):
        expect(panel).to_contain_text(text)


def test_a_reader_switches_the_column_to_traditional_and_back(
    transactional_demo, browser_page
):
    page = browser_page
    page.goto("/dangqun/sanfu-2007/")
    tasks = page.locator("#main-tasks")
    expect(tasks).to_contain_text("服务基层")
    page.click("button[value=zh-hant]")
    expect(tasks).to_contain_text("服務基層")
    page.goto("/")
    expect(page.locator("main")).to_contain_text("服務基層")
    page.click("button[value=zh-hans]")
    expect(page.locator("main")).to_contain_text("服务基层")
