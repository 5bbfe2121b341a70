"""The column's editorial desk: the confidentiality check in both scripts and in
attached files, the notices of each step, and editing a returned article."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from notify.models import Notification
from publicity import actions, confidentiality
from publicity.models import ArticlePage, SensitiveWord
from publicity.tests.conftest import bring_schedule_forward, draft, write
from sanfu.tests.files import streamed_body

pytestmark = pytest.mark.django_db

ORIGINAL = datetime.date(2007, 6, 12)


def url(name, *args):
    return reverse(f"publicity_admin:{name}", args=args)


def returned(world, column, **fields):
    page = write(world, column, **fields)
    actions.submit_article(page, actor=world.liaison_a)
    actions.reject_article(page, actor=world.editor, comment="改標題")
    return page


# -- editing a returned article keeps its date --------------------------------------


def test_the_date_of_a_returned_article_is_offered_in_iso_format(login, world, column):
    page = returned(world, column, published_on=ORIGINAL)
    html = login(world.liaison_a).get(url("submission", page.pk)).content.decode()
    assert 'value="2007-06-12"' in html
    assert "2007/06/12" not in html


def test_resubmitting_the_edit_form_as_a_browser_does_keeps_the_date(
    login, world, column
):
    page = returned(world, column, published_on=ORIGINAL)
    client = login(world.liaison_a)
    html = client.get(url("submission", page.pk)).content.decode()
    field = re.search(r'<input type="date" name="published_on"[^>]*>', html)
    assert field is not None
    value = re.search(r'value="([^"]*)"', field[0])
    # a date input drops a value that is not an ISO date
    date = value[1] if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[1]) else ""
    data = {
        "title": "甲處開展調研活動（修改）",
        "category": "activities",
        "unit": world.unit_a.pk,
        "body": "<p>甲處深入基層。</p>",
        "published_on": date,
        "submit": "1",
    }
    assert client.post(url("submission", page.pk), data).status_code == 302
    actions.approve_article(page, actor=world.editor)
    page.refresh_from_db()
    assert page.live
    assert page.published_on == ORIGINAL


def test_an_edit_without_a_date_keeps_the_articles_date(world, column):
    page = returned(world, column, published_on=ORIGINAL)
    actions.save_draft(
        column,
        draft(published_on=None),
        unit=world.unit_a,
        actor=world.liaison_a,
        page=page,
    )
    page.refresh_from_db()
    assert page.published_on == ORIGINAL
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.published_on == ORIGINAL


# -- the confidentiality check in both scripts and in attached files ---------------


def _file(name, data):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _docx(text):
    from docx import Document

    document = Document()
    document.add_paragraph("會議紀要")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(text):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["名稱", text])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf(text):
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def _submit_with(login, world, column, **files):
    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    client = login(world.liaison_a)
    response = client.post(
        url("new_submission", column.pk),
        {
            "title": "甲處工作",
            "category": "activities",
            "unit": world.unit_a.pk,
            "body": "正文",
            "submit": "1",
            **files,
        },
    )
    assert response.status_code == 302
    return ArticlePage.objects.get(title="甲處工作")


def _found(page):
    return {
        (finding.kind, finding.text, str(finding.where), str(finding.matched))
        for finding in confidentiality.findings(page)
    }


def test_a_traditional_word_is_found_in_simplified_text_and_blocks_approval(
    login, world, column
):
    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    page = write(world, column, body="<p>这是单位的内部资料，请勿外传。</p>")
    actions.submit_article(page, actor=world.liaison_a)
    with translation.override("en"):
        assert _found(page) == {("word", "內部資料", "article text", "内部资料")}
    review = login(world.editor).get(url("review", page.pk)).content.decode()
    assert "no-findings" not in review
    assert "内部资料" in review
    with pytest.raises(ValidationError):
        actions.approve_article(page, actor=world.editor)


def test_a_simplified_word_is_found_across_width_and_punctuation_in_the_title(
    world, column
):
    SensitiveWord.objects.create(campaign=world.campaign, word="内部资料Ａ")
    page = write(world, column, title="關於內部·資料a的說明")
    with translation.override("en"):
        assert _found(page) == {("word", "内部资料Ａ", "title", "內部·資料a")}


def test_an_image_caption_is_checked(world, column):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from publicity.models import ArticleImage

    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    page = write(world, column)
    image = get_image_model().objects.create(title="現場", file=get_test_image_file())
    page.images.add(ArticleImage(image=image, caption="内部资料照片"))
    page.save()
    page.save_revision(user=world.liaison_a)
    with translation.override("en"):
        assert _found(page) == {
            ("word", "內部資料", "caption of image 現場", "内部资料")
        }


@pytest.mark.parametrize(
    ("name", "make"),
    [("紀要.docx", _docx), ("名單.xlsx", _xlsx), ("通知.pdf", _pdf)],
)
def test_the_text_of_an_attached_file_is_checked(login, world, column, name, make):
    page = _submit_with(
        login, world, column, attachments=_file(name, make("附：内部资料 13812345678"))
    )
    with translation.override("en"):
        found = _found(page)
    assert ("word", "內部資料", f"attachment {name}", "内部资料") in found
    assert ("phone", "13812345678", f"attachment {name}", "13812345678") in found


def test_the_name_of_an_attachment_is_checked_in_either_script(login, world, column):
    page = _submit_with(
        login, world, column, attachments=_file("内部资料.docx", _docx("無關"))
    )
    with translation.override("en"):
        assert _found(page) == {
            ("word", "內部資料", "name of attachment 内部资料.docx", "内部资料")
        }


def test_a_file_that_cannot_be_read_is_a_finding_until_a_reviewer_reads_it(
    login, world, column
):
    page = _submit_with(
        login, world, column, attachments=_file("壞.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    [finding] = confidentiality.findings(page)
    assert (finding.kind, finding.text) == ("unchecked", "壞.pdf")
    with pytest.raises(ValidationError):
        actions.approve_article(page, actor=world.editor)
    actions.dismiss_finding(
        page, kind="unchecked", text="壞.pdf", reason="已人工閱讀", actor=world.editor
    )
    # the reviewer reads it: opened through the checked view
    [document] = [item.document_id for item in page.attachments.all()]
    response = login(world.editor).get(
        url("article_file", page.pk, "attachment", document)
    )
    streamed_body(response)
    actions.approve_article(page, actor=world.editor)
    assert ArticlePage.objects.get(pk=page.pk).live


def test_a_pdf_without_text_is_not_passed_as_checked(login, world, column):
    page = _submit_with(login, world, column, attachments=_file("掃描.pdf", _pdf("")))
    assert [(f.kind, f.text) for f in confidentiality.findings(page)] == [
        ("unchecked", "掃描.pdf")
    ]


# -- notices of each step ------------------------------------------------------------


@pytest.fixture
def english_liaison(world):
    from wagtail.users.models import UserProfile

    world.liaison_a.email = "liaison@example.org"
    world.liaison_a.save(update_fields=["email"])
    UserProfile.objects.create(user=world.liaison_a, preferred_language="en")
    return world.liaison_a


def _inbox(person):
    return list(Notification.objects.filter(recipient=person).order_by("pk"))


def test_a_submission_tells_the_publicity_group(
    world, column, django_capture_on_commit_callbacks
):
    page = write(world, column)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_article(page, actor=world.liaison_a)
    [notice] = _inbox(world.editor)
    assert "甲處開展調研活動" in notice.message
    assert notice.link == url("review", page.pk)
    assert _inbox(world.liaison_a) == []
    assert _inbox(world.liaison_b) == []


def test_a_return_tells_the_unit_the_comment_and_the_findings(
    world, column, english_liaison, django_capture_on_commit_callbacks
):
    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    page = write(world, column, body="<p>内部资料，电话 13812345678。</p>")
    actions.submit_article(page, actor=world.liaison_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject_article(page, actor=world.editor, comment="請刪去內部材料")
    [notice] = _inbox(world.liaison_a)
    assert notice.link == url("submission", page.pk)
    assert "returned for changes: 請刪去內部材料" in notice.message
    assert (
        "Sensitive word: 內部資料 (内部资料), found in article text" in notice.message
    )
    assert "138******78" in notice.message
    assert "13812345678" not in notice.message
    assert _inbox(world.liaison_b) == []
    [email] = mail.outbox
    assert email.to == ["liaison@example.org"]
    assert "請刪去內部材料" in email.body


def test_the_returned_submission_shows_the_unit_the_findings(login, world, column):
    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    page = write(world, column, body="<p>这是内部资料。</p>")
    actions.submit_article(page, actor=world.liaison_a)
    actions.reject_article(page, actor=world.editor, comment="改")
    response = login(world.liaison_a).get(url("submission", page.pk))
    findings = response.context["findings"]
    assert [(f.kind, f.text, str(f.matched)) for f in findings] == [
        ("word", "內部資料", "内部资料")
    ]
    assert "内部资料" in response.content.decode()


def test_an_approval_tells_the_unit_it_was_approved_and_published(
    world, column, english_liaison, django_capture_on_commit_callbacks
):
    page = write(world, column)
    actions.submit_article(page, actor=world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_article(page, actor=world.editor, comment="很好")
    page.refresh_from_db()
    assert {(notice.message, notice.link) for notice in _inbox(world.liaison_a)} == {
        ("“甲處開展調研活動” was approved. 很好", url("submission", page.pk)),
        ("“甲處開展調研活動” is published on the website.", page.get_url()),
    }


def test_a_scheduled_approval_says_when_and_the_publication_follows(
    world, column, english_liaison, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django.utils import timezone

    soon = timezone.now() + datetime.timedelta(hours=1)
    page = write(world, column, go_live_at=soon)
    actions.submit_article(page, actor=world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_article(page, actor=world.editor)
    [scheduled] = _inbox(world.liaison_a)
    moment = timezone.localtime(soon).strftime("%Y-%m-%d %H:%M")
    assert scheduled.message == (
        f"“甲處開展調研活動” was approved; it will be published at {moment}."
    )
    bring_schedule_forward(page)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert _inbox(world.liaison_a)[-1].message == (
        "“甲處開展調研活動” is published on the website."
    )


def test_a_resubmission_tells_the_publicity_group_again(
    world, column, django_capture_on_commit_callbacks
):
    page = returned(world, column)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_article(page, actor=world.liaison_a)
    assert len(_inbox(world.editor)) == 1
