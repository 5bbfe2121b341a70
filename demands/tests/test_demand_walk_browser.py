"""One demand walked through the real pages, in a real browser: a member of the public
files it, the office dispatches it, the first unit returns it, the office passes it
on, the second unit replies, the person rates the reply unsatisfied (reopened), the
unit replies again and the person is satisfied (closed); the unit's rates follow."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connections
from playwright.sync_api import Browser, Page, expect

from campaigns.models import Campaign
from demands import metrics
from demands.metrics import Row
from demands.models import Category, DemandStatus, Rating
from org.models import Unit
from sanfu.demo import DEMO_PASSWORD
from sanfu.tests.axe import assert_accessible
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GUIHUA = "規劃計劃處"
SHUIZHENG = "水政水資源處"
# replies the checks before sending pass (demands.reply_checks): sent in one click
SECOND_REPLY = "12月5日上門告知張三：已增設臨時取水點，安排送水，供水恢復。"


@pytest.fixture
def category(transactional_demo: None) -> Category:
    # Before Playwright starts: its sync API switches contexts, and a database
    # connection opened inside it would outlive the test.
    cache.clear()  # the public pages' rate limits count in the cache
    campaign = Campaign.objects.get(slug="sanfu-2007")
    return Category.objects.create(
        campaign=campaign,
        name="水資源管理",
        main_task=campaign.main_tasks.get(name="服務群眾"),
        default_unit=Unit.objects.get(
            organisation=campaign.organisation, name=SHUIZHENG
        ),
    )


@contextmanager
def logged_in(browser: Browser, base_url: str, username: str) -> Iterator[Page]:
    """A browser of one's own, logged in to the admin."""
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, username, DEMO_PASSWORD)
        yield page
    finally:
        context.close()


def track(page: Page, tracking_no: str, code: str) -> None:
    page.goto("/demands/track/")
    page.fill("input[name=tracking_no]", tracking_no)
    page.fill("input[name=query_code]", code)
    page.click("main button[type=submit]")
    expect(page).to_have_url("/demands/track/status/")


def rate(page: Page, rating: str) -> None:
    page.check(f"input[name=rating][value={rating}]")
    page.click(".rating button[type=submit]")


def unit_rows(campaign: Campaign) -> dict[str, Row]:
    """The campaign's figures by unit, read in a thread of their own: a database
    connection opened while Playwright runs would outlive the test (see
    ``browser_page``); this one is closed when the thread is done."""
    rows: dict[str, Row] = {}
    failures: list[BaseException] = []

    def read() -> None:
        try:
            rows.update((row.label, row) for row in metrics.report(campaign).by_unit)
        except BaseException as error:  # raised again in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    return rows


def test_a_demand_is_returned_passed_on_reopened_and_closed_satisfied(
    category, live_server, browser_page
):
    public = browser_page
    browser = public.context.browser
    assert browser is not None
    base_url = live_server.url
    campaign = category.campaign

    # 1. A member of the public files a demand and notes its number and code.
    public.goto("/demands/new/")  # one campaign open: straight to its form
    expect(public).to_have_url(f"/demands/{campaign.slug}/new/")
    public.select_option("select[name=kind]", "help")
    public.select_option("select[name=category]", str(category.pk))
    public.fill("input[name=title]", "水庫下游取水困難")
    public.fill("textarea[name=content]", "旱季水庫放水減少，下游村民取水困難。")
    public.fill("input[name=submitter_name]", "李四")
    public.fill("input[name=submitter_phone]", "13912345678")
    public.click("main button[type=submit]")
    expect(public).to_have_url("/demands/thanks/")
    tracking_no = public.locator(".tracking-no").inner_text().strip()
    code = public.locator(".query-code").inner_text().strip()
    assert tracking_no
    assert len(code) == 8
    assert_accessible(public)

    status = "[data-status]"

    # 2. The office director finds it in the list and dispatches it in one click
    # to the catalogue's unit.
    with logged_in(browser, base_url, "caishangtu") as page:
        page.goto("/admin/demands/")
        page.fill("input[name=q]", tracking_no)
        page.click("form.demand-filters button[type=submit]")
        rows = page.locator("table.demand-list tbody tr")
        expect(rows).to_have_count(1)
        link = rows.get_by_role("link", name=tracking_no)
        detail = link.get_attribute("href") or ""
        link.click()
        expect(page).to_have_url(detail)
        expect(page.locator(".demand-submitter")).to_contain_text("13912345678")
        expect(page.locator("select[name=unit] option:checked")).to_have_text(SHUIZHENG)
        page.click("button[name=dispatch]")
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.DISPATCHED
        )

    # 3. 水政水資源處 says it is not theirs and returns it.
    with logged_in(browser, base_url, "shuizheng_liaison") as page:
        page.goto(detail)
        page.fill("textarea[name=reason]", "屬規劃計劃處職責，請改派。")
        page.click("button[name=return]")
        # no longer theirs to see: back to their list, where it is gone
        expect(page).to_have_url("/admin/demands/")
        expect(page.locator(".messages .success")).to_be_visible()
        expect(page.get_by_role("link", name=tracking_no)).to_have_count(0)

    # 4. The director passes it on to 規劃計劃處.
    with logged_in(browser, base_url, "caishangtu") as page:
        page.goto(detail)
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.RETURNED
        )
        expect(page.locator(".demand-history")).to_contain_text("屬規劃計劃處職責")
        unit = page.locator("select[name=unit]")
        unit.select_option(label=GUIHUA)
        page.fill("input[name=note]", "請規劃計劃處辦理。")
        page.click("button[name=dispatch]")
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.DISPATCHED
        )

    # 5. 規劃計劃處 accepts and replies.
    with logged_in(browser, base_url, "guihua_liaison") as page:
        page.goto(detail)
        page.click("button[name=accept]")
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.ACCEPTED
        )
        page.fill(
            "textarea[name=reply]",
            "12月3日電話聯繫張三，已協調水庫加大下泄流量，現水位已恢復正常。",
        )
        page.check("input[name=solved][value=no]")
        page.click("button[name=reply_submit]")
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.REPLIED
        )

    before = unit_rows(campaign)
    guihua = before[GUIHUA]
    assert (guihua.replied, guihua.rated, guihua.reopened) == (1, 0, 0)
    assert guihua.satisfaction_rate is None
    assert guihua.reopen_rate == 0.0
    # The unit that returned it holds no demand any more: no row.
    assert SHUIZHENG not in before

    # 6. The person looks it up and is not satisfied: the demand is reopened.
    track(public, tracking_no, code)
    # the public site shows text in the reader's script (simplified by default)
    expect(public.locator(".reply-text")).to_contain_text("已协调水库加大下泄流量")
    rate(public, Rating.UNSATISFIED)
    expect(public.locator(f".status-{DemandStatus.REOPENED}")).to_be_visible()
    expect(public.locator(".rating")).to_have_count(0)

    # 7. 規劃計劃處 replies a second time.
    with logged_in(browser, base_url, "guihua_liaison") as page:
        page.goto(detail)
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.REOPENED
        )
        page.fill("textarea[name=reply]", SECOND_REPLY)
        page.check("input[name=solved][value=yes]")
        page.click("button[name=reply_submit]")
        expect(page.locator(status)).to_have_attribute(
            "data-status", DemandStatus.REPLIED
        )
        expect(page.locator(".demand-reply")).to_have_text(SECOND_REPLY)

    # 8. The person comes back with number and code and is satisfied: closed.
    track(public, tracking_no, code)
    expect(public.locator(".reply-text")).to_contain_text("已增设临时取水点")
    rate(public, Rating.SATISFIED)
    expect(public.locator(f".status-{DemandStatus.CLOSED}")).to_be_visible()
    expect(public.locator(".rating")).to_have_count(0)

    # 9. The unit's figures: one demand, reopened once, finally satisfied.
    after = unit_rows(campaign)
    guihua = after[GUIHUA]
    assert (guihua.replied, guihua.solved, guihua.rated, guihua.satisfied) == (
        1,
        1,
        1,
        1,
    )
    assert guihua.reopened == 1
    assert guihua.satisfaction_rate == 1.0
    assert guihua.reopen_rate == 1.0
    assert SHUIZHENG not in after

    with logged_in(browser, base_url, "caishangtu") as page:
        page.goto("/admin/demands/metrics/")
        table = page.locator("table.demand-metrics[data-grouping=unit]")
        row = table.locator("tbody tr", has=page.locator("th", has_text=GUIHUA))
        expect(row).to_have_count(1)
        # satisfaction rate and reopen rate, as the screen prints them: over one
        # demand, flagged as a small sample
        cells = row.locator("td")
        expect(cells.nth(13)).to_have_text("100.0% ※ n=1")
        expect(cells.nth(15)).to_have_text("100.0% ※ n=1")
        expect(table.locator("tbody th", has_text=SHUIZHENG)).to_have_count(0)

        # at 1366 px the wide table scrolls inside its own box, which the keyboard
        # reaches, instead of running the page off the screen (WCAG 1.4.10)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.reload()
        assert_accessible(page)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        box = page.locator(".demand-metrics-scroll").first
        box.focus()
        expect(box).to_be_focused()
        if box.evaluate("e => e.scrollWidth > e.clientWidth"):
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "() => document.querySelector('.demand-metrics-scroll').scrollLeft > 0"
            )
        # scrolled to its end, the ranking column is in sight
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        rank = table.locator("thead th").last
        left, right = rank.evaluate(
            "e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }"
        )
        assert left >= 0 and right <= 1366
