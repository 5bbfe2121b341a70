"""The column's desk in a real browser (issue 26): a liaison submits an article
with a photo and 内部资料 in simplified script while 內部資料 is a sensitive word;
the publicity group is told, sees the finding and the photo, and returns it; the
liaison is told (with the finding), edits it (its date and photo stay) and
resubmits; the group approves; the liaison is told and the article is live with
its own date."""

import io

import pytest
from PIL import Image as PILImage
from playwright.sync_api import Page, expect

from publicity.models import SensitiveWord
from publicity.tests.conftest import ignores_rendition_temp_file
from publicity.tests.test_browser_submission import (
    SUBMISSION_PAGE,
    log_in,
    type_body,
)
from sanfu.tests.browser import shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "甲處召開專題會議"


@pytest.fixture
def desk(world, column, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    photo = tmp_path / "會場.png"
    out = io.BytesIO()
    PILImage.new("RGB", (240, 160), (30, 120, 200)).save(out, "PNG")
    photo.write_bytes(out.getvalue())
    return {"column": column.pk, "url": column.get_url(), "photo": str(photo)}


def inbox(page: Page) -> str:
    page.goto("/admin/inbox/")
    return page.locator("main").inner_text()


@ignores_rendition_temp_file
def test_a_returned_article_keeps_its_date_and_photo_and_goes_live(
    world, desk, browser_page
):
    page = browser_page

    # The liaison writes, with a photo and its caption, and submits.
    log_in(page, world.liaison_a.username)
    page.goto(f"/admin/column/new/{desk['column']}/")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=unit]", str(world.unit_a.pk))
    page.fill("input[name=published_on]", "2007-06-12")
    type_body(page, "会议传达了内部资料的有关要求。")
    page.set_input_files("input[name=images]", desk["photo"])
    page.fill("textarea[name=captions]", "會議現場")
    shot(page, "desk-1-new")
    page.click("button[name=submit]")
    page.wait_for_url(SUBMISSION_PAGE)  # a loaded machine answers slowly
    shot(page, "desk-1b-submitted")
    expect(page.locator(".submission-status")).to_be_visible()
    submission_url = page.url

    # The group is told; the reviewer sees the finding and the photo.
    log_in(page, world.editor.username)
    assert f"报送了《{TITLE}》" in inbox(page)  # the browser reads zh-CN
    page.goto("/admin/column/review/")
    page.click(f"text={TITLE}")
    findings = page.locator("#confidentiality")
    expect(findings).to_contain_text("內部資料")
    expect(findings).to_contain_text("内部资料")
    photo = page.locator("#review-images img")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 240
    expect(page.locator("#review-images")).to_contain_text("會議現場")
    expect(page.locator("button[name=approve]")).to_be_disabled()
    expect(page.locator("#approve-blocked")).to_be_visible()
    shot(page, "desk-2-review")
    page.fill("textarea[name=comment]", "請刪去涉密內容")
    page.click("button[name=reject]")
    page.wait_for_url("**/admin/column/review/")

    # The liaison is told, with the comment and the finding, and edits.
    log_in(page, world.liaison_a.username)
    told = inbox(page)
    assert f"《{TITLE}》已退回修改：請刪去涉密內容" in told
    assert "內部資料" in told
    page.goto(submission_url)
    # the submission page shows the unit the check's finding too
    expect(page.locator("main")).to_contain_text("内部资料")
    expect(page.locator("input[name=published_on]")).to_have_value("2007-06-12")
    kept = page.locator("#existing-images img")
    expect(kept).to_be_visible()
    assert kept.evaluate("img => img.naturalWidth") == 240
    expect(page.locator("#existing-images input[type=text]")).to_have_value("會議現場")
    expect(page.locator(".Draftail-Editor")).to_contain_text("内部资料")
    type_body(page, "会议传达了有关要求。")
    shot(page, "desk-3-edit")
    page.click("button[name=submit]")
    page.wait_for_url(SUBMISSION_PAGE)  # a loaded machine answers slowly
    expect(page.locator(".submission-status")).to_be_visible()

    # The group is told again and approves (the photo is shown, so opened).
    log_in(page, world.editor.username)
    assert f"《{TITLE}》已修改并重新报送" in inbox(page)
    page.goto("/admin/column/review/")
    page.click(f"text={TITLE}")
    expect(page.locator("#confidentiality .no-findings")).to_be_visible()
    expect(page.locator("#review-images img")).to_be_visible()
    page.wait_for_function(
        "document.querySelector('#review-images img').naturalWidth > 0"
    )
    expect(page.locator("button[name=approve]")).to_be_enabled()
    shot(page, "desk-4-approve")
    page.click("button[name=approve]")
    page.wait_for_url("**/admin/column/review/")

    # The liaison is told; the article is live with its own date and photo.
    log_in(page, world.liaison_a.username)
    told = inbox(page)
    assert f"《{TITLE}》已审核通过。" in told
    assert f"《{TITLE}》已在网站发布。" in told
    page.context.clear_cookies()
    page.goto(desk["url"])
    page.click(".article-list a >> nth=0")
    article = page.locator("article")
    expect(article).to_contain_text("2007-06-12")
    expect(article).to_contain_text("会议传达了有关要求")
    expect(article.locator("figure img")).to_be_visible()
    shot(page, "desk-5-live")
