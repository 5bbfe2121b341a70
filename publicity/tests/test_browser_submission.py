"""A submission's whole walk in a real browser: a liaison submits, the publicity
group sends it back with a comment, the liaison resubmits, the group approves, and
readers find it in the column, the feed and search, in both scripts."""

import re

import feedparser
import pytest
from playwright.sync_api import Page, expect

from org.tests.factories import PASSWORD
from sanfu.tests.browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUBMISSION_PAGE = re.compile(r"/admin/column/\d+/$")
TITLE = "甲處開展調研服務活動"  # stored as typed, in traditional script
SIMPLIFIED_TITLE = "甲处开展调研服务活动"


def log_in(page: Page, username: str) -> None:
    sign_in(page, username, PASSWORD)


def type_body(page: Page, text: str) -> None:
    """Replace the text in Wagtail's rich-text editor (Draftail)."""
    page.locator(".Draftail-Editor .public-DraftEditor-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    # the editor writes its hidden input when it saves: wait for the text there
    page.locator("input[name=title]").focus()
    page.wait_for_function(
        """text => {
            const value = document.querySelector("input[name=body]").value;
            try {
                return JSON.parse(value).blocks.map(b => b.text).join("") === text;
            } catch (error) { return false; }
        }""",
        arg=text,
    )


@pytest.fixture
def column_url(column):
    # Read before Playwright starts: a query made inside its context leaves a
    # connection open (on PostgreSQL the test database then cannot be dropped).
    return column.get_url()


def test_a_submission_is_rejected_resubmitted_approved_and_read(
    world, column, column_url, browser_page
):
    page = browser_page
    # The liaison writes and submits.
    log_in(page, world.liaison_a.username)
    page.goto(f"/admin/column/new/{column.pk}/")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=category]", "measures")
    page.select_option("select[name=unit]", str(world.unit_a.pk))
    page.fill("textarea[name=summary]", "甲處深入基層開展調研。")
    type_body(page, "甲處深入基層，走訪群眾。")
    page.click("button[name=submit]")
    page.wait_for_url(SUBMISSION_PAGE)  # a loaded machine answers slowly
    expect(page.locator(".submission-status")).to_be_visible()
    submission_url = page.url

    # The publicity group sends it back with a comment.
    log_in(page, world.editor.username)
    page.goto("/admin/column/review/")
    page.click(f"text={TITLE}")
    expect(page.locator("#confidentiality .no-findings")).to_be_visible()
    page.fill("textarea[name=comment]", "請補充走訪戶數")
    page.click("button[name=reject]")
    page.wait_for_url("**/admin/column/review/")

    # The liaison reads the comment, adds the figure and resubmits.
    log_in(page, world.liaison_a.username)
    page.goto(submission_url)
    expect(page.locator(".review-comment")).to_contain_text("請補充走訪戶數")
    type_body(page, "甲處深入基層，走訪群眾120戶。")
    page.click("button[name=submit]")
    page.wait_for_url(SUBMISSION_PAGE)  # a loaded machine answers slowly
    expect(page.locator(".submission-status")).to_be_visible()

    # The group approves; the article goes live.
    log_in(page, world.editor.username)
    page.goto("/admin/column/review/")
    page.click(f"text={TITLE}")
    page.click("button[name=approve]")
    page.wait_for_url("**/admin/column/review/")

    # A reader finds it in the column, in simplified (the default) and traditional.
    page.context.clear_cookies()
    page.goto(column_url)
    listing = page.locator(".article-list")
    expect(listing).to_contain_text(SIMPLIFIED_TITLE)
    page.click("button[value=zh-hant]")
    expect(listing).to_contain_text(TITLE)
    page.click(f".article-list >> text={TITLE}")
    expect(page.locator("article")).to_contain_text("走訪群眾120戶")

    # … in the feed, in the script chosen …
    feed = feedparser.parse(page.request.get(f"/column/{column.pk}/feed/").text())
    assert [entry.title for entry in feed.entries] == [TITLE]
    page.click("button[value=zh-hans]")
    feed = feedparser.parse(page.request.get(f"/column/{column.pk}/feed/").text())
    assert [entry.title for entry in feed.entries] == [SIMPLIFIED_TITLE]

    # … and in search, a query in either script finding it.
    for query in ("调研服务", "調研服務"):
        page.goto(f"/column/search/?q={query}")
        expect(page.locator(".search-results")).to_contain_text(SIMPLIFIED_TITLE)
    page.click("button[value=zh-hant]")
    page.fill("input[name=q]", "走访群众")
    page.click("main button[type=submit]")
    expect(page.locator(".search-results")).to_contain_text(TITLE)
