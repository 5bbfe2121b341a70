"""A member of the public files a demand on a phone-sized screen and follows it."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demands.tests.factories import CategoryFactory
from sanfu.tests.axe import assert_accessible
from sanfu.tests.browser import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def category(world):  # type: ignore[no-untyped-def]
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    cache.clear()
    return CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a, name="水利設施"
    )


def test_a_person_files_a_demand_and_looks_it_up(category, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/demands/new/")
    shot(page, "submit")
    assert_accessible(page)
    page.select_option("select[name=kind]", "help")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("input[name=title]", "村口水渠堵塞")
    page.fill("textarea[name=content]", "雨季將至，村口水渠堵塞，請幫助疏通。")
    page.fill("input[name=submitter_phone]", "1381234")
    page.click("main button[type=submit]")
    expect(page.locator("#id_submitter_phone_error")).to_be_visible()
    shot(page, "submit-error")
    assert_accessible(page)
    page.fill("input[name=submitter_phone]", "13812345678")
    page.click("main button[type=submit]")
    tracking_no = page.locator(".tracking-no").inner_text()
    code = page.locator(".query-code").inner_text()
    shot(page, "thanks")
    assert_accessible(page)
    assert len(code) == 8

    page.goto("/demands/track/")
    page.fill("input[name=tracking_no]", tracking_no)
    page.fill("input[name=query_code]", code)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("村口水渠堵塞")
    expect(page.locator(".timeline li")).to_have_count(1)
    shot(page, "status")
    assert_accessible(page)
