"""The public demand pages with the keyboard alone, in English, and in 长辈模式
(WCAG 2.1 AA and the MIIT 互联网网站适老化通用设计规范)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from demands.tests.factories import CategoryFactory
from sanfu.tests.axe import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The contrast ratio of a control's border against the white page (WCAG 1.4.11).
BORDER_CONTRAST = """() => {
    const luminance = colour => {
        const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const controls = '.field input, .field select, .field textarea';
    return [...document.querySelectorAll(controls)]
        .filter(e => e.type !== 'hidden' && e.type !== 'checkbox' && e.type !== 'file')
        .map(e => {
            const border = luminance(getComputedStyle(e).borderTopColor);
            return [e.name, (1 + 0.05) / (border + 0.05)];
        });
}"""

# Text with Chinese characters whose nearest language is not Chinese (WCAG 3.1.2).
# A choice in a list holds text only: one that glosses an English word with the
# Chinese term, "Consultation (咨询)", stays English.
UNMARKED_CHINESE = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!/[\\u3400-\\u9fff]/.test(node.data)) continue;
        const parent = node.parentElement;
        if (parent.closest('option') && /[A-Za-z]/.test(node.data)) continue;
        const lang = parent.closest('[lang]').getAttribute('lang');
        if (!lang.toLowerCase().startsWith('zh')) found.push(node.data.trim());
    }
    return found;
}"""

# The controls a person aims at, and those smaller than 44 px either way.
SMALL_TARGETS = """() => [...document.querySelectorAll(
        'header button, .site-nav a, .demands-nav a, main input, main select,'
        + ' main textarea, main button, .skip-link:focus')]
    .filter(e => e.type !== 'hidden' && e.getClientRects().length)
    .map(e => [e.name || e.textContent.trim(), e.getBoundingClientRect()])
    .filter(([, box]) => box.height < 44 || box.width < 44)
    .map(([name, box]) => `${name}: ${Math.round(box.width)}x${Math.round(box.height)}`)
"""


@pytest.fixture
def category(world):  # type: ignore[no-untyped-def]
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    cache.clear()
    return CategoryFactory.create(
        campaign=world.campaign, default_unit=world.unit_a, name="水利設施"
    )


def tab_to(page: Page, selector: str, limit: int = 25) -> None:
    """Press Tab until the element the selector names has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused(page: Page, selector: str) -> bool:
    result: bool = page.evaluate("s => document.activeElement.matches(s)", selector)
    return result


def test_a_person_in_elder_mode_files_a_demand_with_the_keyboard_alone(
    category, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/demands/new/")

    # the first Tab reaches the skip link; the switch is in the header
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link")
    tab_to(page, "[data-display-switch]")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-display", "elder")
    expect(page.locator("[data-display-switch]")).to_have_attribute(
        "aria-pressed", "true"
    )
    # larger type and targets, and the shorter form in one column (the mode's sheet
    # may still be loading when the new page's <html> is there: wait for its type)
    expect(page.locator("body")).to_have_css("font-size", "20px")
    assert page.evaluate(SMALL_TARGETS) == []
    expect(page.locator("select[name=category]")).to_have_count(0)
    expect(page.locator("input[name=attachments]")).to_have_count(0)
    assert_accessible(page)

    # content and phone, but the title forgotten: Enter in a field submits
    tab_to(page, "textarea[name=content]")
    page.keyboard.type("小区门口的路灯坏了一个月，晚上看不见路。")
    tab_to(page, "input[name=submitter_name]")
    page.keyboard.type("王阿姨")
    page.keyboard.press("Tab")
    assert focused(page, "input[name=submitter_phone]")
    page.keyboard.type("13812345678")
    page.keyboard.press("Enter")

    # the summary of what to correct has the focus, and leads to the field
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(1)
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert focused(page, "[data-error-summary] a")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=title]")).to_be_focused()
    page.keyboard.type("路灯不亮")
    page.keyboard.press("Enter")

    tracking_no = page.locator(".tracking-no")
    expect(tracking_no).to_have_text(re.compile(r"^\d{6,}$"))
    expect(page.locator(".query-code")).to_have_text(re.compile(r"^\w{8}$"))
    assert_accessible(page)


def test_the_form_controls_stand_out_from_the_page(category, browser_page):
    page = browser_page
    page.goto("/demands/new/")
    ratios = dict(page.evaluate(BORDER_CONTRAST))
    assert {"title", "content", "submitter_name", "submitter_phone"} <= set(ratios)
    assert {name: ratio for name, ratio in ratios.items() if ratio < 3} == {}


def test_an_english_page_marks_its_chinese_content_as_chinese(
    category, browser_page, live_server
):
    page = browser_page
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    for url in ("/demands/new/", "/demands/track/", "/demands/figures/"):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert page.evaluate(UNMARKED_CHINESE) == [], url
    # the category list, in Chinese, among English words
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/demands/new/")
    expect(page.locator("select[name=category] option[lang=zh-Hans]")).to_have_count(1)


def test_the_skip_link_leads_past_the_header_to_the_page(category, browser_page):
    page = browser_page
    page.goto("/demands/track/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # shown when it has the focus
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    tab_to(page, "main input[name=tracking_no]", limit=8)
