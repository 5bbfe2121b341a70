"""The reviewer sees every image and opens every attachment before approving; the
server records each opening. The unit edits a returned article in Wagtail's editor,
with its images' captions."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import PageLogEntry

from publicity import actions, confidentiality
from publicity.models import ArticlePage, ReviewFileOpening, SensitiveWord
from sanfu.tests.files import streamed_body

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, *args):
    return reverse(f"publicity_admin:{name}", args=args)


def _png(name="現場.png"):
    out = io.BytesIO()
    PILImage.new("RGB", (60, 40), (200, 30, 30)).save(out, "PNG")
    out.seek(0)
    out.name = name
    return out


def _docx(name="名單.docx"):
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("參會人員")
    document.save(out)
    out.seek(0)
    out.name = name
    return out


def _submit(login, world, column, **extra):
    client = login(world.liaison_a)
    data = {
        "title": "甲處工作",
        "category": "activities",
        "unit": world.unit_a.pk,
        "published_on": "2007-06-12",
        "body": "正文",
        "submit": "1",
        **extra,
    }
    assert client.post(url("new_submission", column.pk), data).status_code == 302
    return ArticlePage.objects.get(title="甲處工作")


def _open(client, address):
    response = client.get(address)
    if getattr(response, "streaming", False):
        streamed_body(response)
    return response


def _files(page):
    latest = page.get_latest_revision_as_object()
    return (
        [item.image_id for item in latest.images.all()],
        [item.document_id for item in latest.attachments.all()],
    )


def test_approval_waits_until_the_reviewer_opened_every_image_and_attachment(
    login, world, column
):
    page = _submit(login, world, column, images=_png(), attachments=_docx())
    [image], [document] = _files(page)
    with pytest.raises(ValidationError) as refused:
        actions.approve_article(page, actor=world.editor)
    assert refused.value.code == "files_not_opened"
    reviewer = login(world.editor)
    response = _open(reviewer, url("article_file", page.pk, "image", image))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    # the image alone is not enough
    with pytest.raises(ValidationError):
        actions.approve_article(page, actor=world.editor)
    response = _open(reviewer, url("article_file", page.pk, "attachment", document))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    # opening twice records once
    _open(reviewer, url("article_file", page.pk, "attachment", document))
    assert ReviewFileOpening.objects.filter(page=page, person=world.editor).count() == 2
    assert PageLogEntry.objects.filter(action="sanfu.article.file_open").count() == 2
    actions.approve_article(page, actor=world.editor)
    assert ArticlePage.objects.get(pk=page.pk).live


def test_the_review_page_shows_the_images_and_says_why_approval_waits(
    login, in_english, world, column
):
    page = _submit(
        login,
        world,
        column,
        images=_png(),
        captions="工作現場",
        attachments=_docx(),
    )
    [image], [document] = _files(page)
    reviewer = login(world.editor)
    html = reviewer.get(url("review", page.pk)).content.decode()
    assert f'<img src="{url("article_file", page.pk, "image", image)}"' in html
    assert "工作現場" in html
    assert url("article_file", page.pk, "attachment", document) in html
    assert "not yet opened" in html
    assert 'name="approve" disabled' in html
    assert "Open every attachment before approving" in html
    assert "名單.docx" in html
    _open(reviewer, url("article_file", page.pk, "attachment", document))
    html = reviewer.get(url("review", page.pk)).content.decode()
    assert 'name="approve" disabled' not in html
    # posting anyway before the image was loaded is refused with the reason
    response = reviewer.post(url("approve", page.pk), {"comment": ""}, follow=True)
    assert "not yet opened: 現場.png" in response.content.decode()
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_a_file_is_served_only_to_the_articles_unit_and_reviewers(
    login, world, other_world, column
):
    page = _submit(login, world, column, images=_png(), attachments=_docx())
    [image], [document] = _files(page)
    image_url = url("article_file", page.pk, "image", image)
    assert _open(Client(), image_url).status_code == 302  # to the login page
    assert _open(login(world.liaison_b), image_url).status_code == 404
    assert _open(login(other_world.editor), image_url).status_code == 404
    # another article's file, or a kind that is not one, is not found
    assert (
        _open(
            login(world.editor),
            url("article_file", page.pk, "attachment", document + 100),
        ).status_code
        == 404
    )
    assert (
        login(world.editor).get(url("article_file", page.pk, "x", image)).status_code
        == 404
    )
    # the unit sees its own files; that opens nothing for review
    assert _open(login(world.liaison_a), image_url).status_code == 200
    assert not ReviewFileOpening.objects.exclude(person=world.editor).exists()


def test_a_caption_and_an_attachments_name_are_checked_in_either_script(
    login, world, column
):
    SensitiveWord.objects.create(campaign=world.campaign, word="內部資料")
    page = _submit(
        login,
        world,
        column,
        images=_png(),
        captions="内部资料照片",
        attachments=_docx("内部资料.docx"),
    )
    assert {(f.kind, f.matched) for f in confidentiality.findings(page)} == {
        ("word", "内部资料")
    }
    assert page.get_latest_revision_as_object().images.first().caption == "内部资料照片"


def test_more_captions_than_images_is_refused(login, world, column):
    response = login(world.liaison_a).post(
        url("new_submission", column.pk),
        {
            "title": "甲處工作",
            "category": "activities",
            "unit": world.unit_a.pk,
            "body": "正文",
            "captions": "一\n二",
            "images": _png(),
        },
    )
    assert response.status_code == 200
    assert "error-captions" in response.content.decode()
    assert not ArticlePage.objects.filter(title="甲處工作").exists()


def _returned(login, world, column):
    page = _submit(
        login, world, column, images=_png(), captions="舊說明", body="<p>第一段</p>"
    )
    actions.reject_article(page, actor=world.editor, comment="改說明")
    return page


def test_a_returned_articles_images_are_shown_with_editable_captions(
    login, world, column
):
    page = _returned(login, world, column)
    [image], _ = _files(page)
    client = login(world.liaison_a)
    html = client.get(url("submission", page.pk)).content.decode()
    assert f'<img src="{url("article_file", page.pk, "image", image)}"' in html
    assert f'name="caption_{image}"' in html
    assert 'value="舊說明"' in html
    assert 'value="2007-06-12"' in html
    data = {
        "title": "甲處工作",
        "category": "activities",
        "unit": world.unit_a.pk,
        "published_on": "2007-06-12",
        "body": "<p>第一段</p>",
        f"caption_{image}": "新說明",
        "submit": "1",
    }
    assert client.post(url("submission", page.pk), data).status_code == 302
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [(i.image_id, i.caption) for i in latest.images.all()] == [(image, "新說明")]
    assert latest.published_on.isoformat() == "2007-06-12"


def test_an_image_can_be_removed_from_a_returned_article(login, world, column):
    page = _returned(login, world, column)
    [image], _ = _files(page)
    data = {
        "title": "甲處工作",
        "category": "activities",
        "unit": world.unit_a.pk,
        "body": "<p>第一段</p>",
        f"caption_{image}": "舊說明",
        f"remove_{image}": "on",
        "save": "1",
    }
    assert (
        login(world.liaison_a).post(url("submission", page.pk), data).status_code == 302
    )
    latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert list(latest.images.all()) == []


def test_the_body_is_edited_in_wagtails_editor_and_round_trips(login, world, column):
    page = _returned(login, world, column)
    client = login(world.liaison_a)
    html = client.get(url("submission", page.pk)).content.decode()
    # Draftail's input holds the editor's JSON, not the stored HTML
    assert "data-draftail-input" in html
    assert "&lt;p&gt;第一段" not in html
    assert json.dumps("第一段")[1:-1] in html  # the editor's JSON
    state = {
        "blocks": [
            {
                "key": "a",
                "type": "unstyled",
                "text": "第一段",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            },
            {
                "key": "b",
                "type": "unstyled",
                "text": "第二段<script>",
                "depth": 0,
                "inlineStyleRanges": [{"offset": 0, "length": 3, "style": "BOLD"}],
                "entityRanges": [],
            },
        ],
        "entityMap": {},
    }
    data = {
        "title": "甲處工作",
        "category": "activities",
        "unit": world.unit_a.pk,
        "published_on": "2007-06-12",
        "body": json.dumps(state),
        "save": "1",
    }
    assert client.post(url("submission", page.pk), data).status_code == 302
    body = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().body
    assert body == "<p>第一段</p><p><b>第二段</b>&lt;script&gt;</p>"


def test_the_units_submissions_page_past_a_hundred_and_filter(
    login, world, column, monkeypatch
):
    from publicity.views import admin

    monkeypatch.setattr(admin, "SUBMISSIONS_PER_PAGE", 2)
    for title in ("甲一", "甲二", "甲三", "乙四"):
        actions.save_draft(
            column,
            actions.ArticleDraft(
                title=title, category="activities", summary="", body="<p>文</p>"
            ),
            unit=world.unit_a,
            actor=world.liaison_a,
        )
    client = login(world.liaison_a)
    first = client.get(url("submissions")).content.decode()
    second = client.get(url("submissions"), {"p": 2}).content.decode()
    titles = ("甲一", "甲二", "甲三", "乙四")
    assert sum(title in first for title in titles) == 2
    assert sum(title in second for title in titles) == 2
    # the second page goes on where the first stopped
    assert {title for title in titles if title in first or title in second} == set(
        titles
    )
    assert 'class="pagination"' in first
    found = client.get(url("submissions"), {"q": "乙"}).content.decode()
    assert "乙四" in found
    assert "甲一" not in found


@pytest.mark.parametrize(
    "edited",
    [
        # Wagtail's editor: two blocks
        json.dumps(
            {
                "blocks": [
                    {
                        "key": key,
                        "type": "unstyled",
                        "text": text,
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                    for key, text in (("a", "第一段"), ("b", "第二段"))
                ],
                "entityMap": {},
            }
        ),
        # a browser without scripts posts the old text box: HTML, a line appended
        "<p>第一段</p>\n第二段",
        "<p>第一段</p>\n\n<p>第二段</p>\n",
    ],
)
def test_an_appended_paragraph_is_one_paragraph_in_the_briefing_docx(
    login, world, column, edited
):
    from docx import Document

    from publicity.briefings import actions as briefing_actions
    from publicity.briefings import exports

    page = _returned(login, world, column)
    data = {
        "title": "甲處工作",
        "category": "activities",
        "unit": world.unit_a.pk,
        "published_on": "2007-06-12",
        "body": edited,
        "submit": "1",
    }
    assert (
        login(world.liaison_a).post(url("submission", page.pk), data).status_code == 302
    )
    [image], _ = _files(page)
    _open(login(world.editor), url("article_file", page.pk, "image", image))
    actions.approve_article(ArticlePage.objects.get(pk=page.pk), actor=world.editor)
    briefing = briefing_actions.create_briefing(
        column,
        title="簡報",
        text="<p>編者按</p>",
        articles=[ArticlePage.objects.get(pk=page.pk)],
        actor=world.editor,
    )
    document = Document(io.BytesIO(exports.render_docx(briefing)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    first = texts.index("第一段")
    # the two paragraphs follow each other: no stray gap, no line break inside
    assert texts[first : first + 2] == ["第一段", "第二段"], texts
