"""An advanced model's whole walk in a real browser (issue 26): a unit nominates
with the deeds and a photo; each member of the leading group sees them and casts a
ballot, which closes the vote; the office starts the 公示, confirming; a reader finds
the 公示 page from the home page and objects; the office opens the objection from its
count, answers and closes it; once the notice has ended the office awards the title
and the model is listed among the column's 先進典型."""

import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from publicity.models import AdvancedModelPage, Objection
from publicity.tests.conftest import ignores_rendition_temp_file
from publicity.tests.test_browser_submission import log_in
from sanfu.tests.browser import shot

pytestmark = [
    pytest.mark.browser,
    ignores_rendition_temp_file,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOMINEE = "張衛國"
SIMPLIFIED = "张卫国"


@pytest.fixture
def photo(tmp_path):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 160), (20, 90, 160)).save(out, "PNG")
    path = tmp_path / "zhang.png"
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def column_url(column):
    return column.get_url()


def test_a_model_from_nomination_to_award(
    world, member, column, column_url, photo, browser_page
):
    page = browser_page
    questions: list[str] = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)

    # The unit nominates, with the deeds and a photo.
    log_in(page, world.liaison_a.username)
    page.goto("/admin/column/models/")
    page.fill("input[name=nominee]", NOMINEE)
    page.fill("textarea[name=deeds]", "扎根基層三十年，帶領職工完成汛期測報。")
    page.set_input_files("input[name=photo]", str(photo))
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".model-photo")).to_be_visible()
    shot(page, "1-nominated")

    # Each member of the leading group sees the deeds and the photo and votes.
    for voter, tally in ((world.leader, "1"), (member, "2")):
        log_in(page, voter.username)
        page.goto("/admin/column/models/")
        page.click(f"text={NOMINEE}")
        expect(page.locator(".model-deeds")).to_contain_text("汛期")
        expect(page.locator(".model-photo")).to_be_visible()
        shot(page, f"2-ballot-{voter.username}")
        page.check("input[name=choice][value=for]")
        asked = len(questions)
        page.click(".ballot button[type=submit]")
        expect(page.locator(".tally")).to_contain_text(f"{tally} ")
        assert len(questions) == asked + 1  # a ballot cannot be changed: asked first
    shot(page, "3-voted")

    # The office starts the 公示, confirming.
    log_in(page, world.director.username)
    page.goto("/admin/column/models/")
    page.click(f"text={NOMINEE}")
    asked = len(questions)
    page.click(".model-notice button[type=submit]")
    expect(page.locator(".model-stage[data-stage=notice]")).to_be_visible()
    assert len(questions) == asked + 1  # 开始公示 asked before it was done
    # 表彰 waits for the notice to end, and says so beside the disabled button
    expect(page.locator(".model-notice button[type=submit]")).to_be_disabled()
    expect(page.locator("#award-reason")).to_be_visible()
    shot(page, "4-on-notice")

    # A reader finds the 公示 page from the home page and objects.
    page.context.clear_cookies()
    page.goto("/")
    shot(page, "5-home")
    page.click(f"#public-notices a:has-text('{SIMPLIFIED}')")
    expect(page.locator("#objection")).to_be_visible()
    page.fill("textarea[name=text]", "事蹟中的年份有出入，請核實。")
    page.click("#objection button[type=submit]")
    shot(page, "6-objected")

    # It is also in the column's 先進典型 filter and in the search.
    page.goto(f"{column_url}?category=models")
    expect(page.locator("#models")).to_contain_text(SIMPLIFIED)
    page.goto(f"/column/search/?q={SIMPLIFIED}")
    expect(page.locator(".model-results")).to_contain_text(SIMPLIFIED)

    # The office opens the objection from its count, answers and closes it.
    log_in(page, world.director.username)
    page.goto("/admin/column/models/")
    page.click(".objection-count")
    expect(page.locator(".objections")).to_contain_text("年份有出入")
    page.fill("textarea[name=answer]", "已電話聯繫核實，年份筆誤已更正。")
    page.click(".objections button[type=submit]")
    expect(page.locator(".objection-answer")).to_contain_text("已電話聯繫核實")
    expect(page.locator(".objections textarea[name=answer]")).to_have_count(0)
    shot(page, "7-answered")

    # The notice ends; the office awards the title.
    AdvancedModelPage.objects.filter(nominee=NOMINEE).update(
        notice_ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Objection.objects.get().closed_at is not None
    connection.close()
    page.goto("/admin/column/models/")
    page.click(f"text={NOMINEE}")
    award = page.locator(".model-notice button[type=submit]")
    expect(award).to_be_enabled()
    expect(page.locator("#award-reason")).to_have_count(0)
    asked = len(questions)
    award.click()
    expect(page.locator(".model-stage[data-stage=awarded]")).to_be_visible()
    assert len(questions) == asked + 1  # 表彰 asked before it was done
    shot(page, "8-awarded")

    # The model is among the column's 先進典型.
    page.context.clear_cookies()
    page.goto(f"{column_url}?category=models")
    expect(page.locator("#models li[data-stage=awarded]")).to_contain_text(SIMPLIFIED)
    shot(page, "9-column")
