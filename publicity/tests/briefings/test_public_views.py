"""The public briefing pages and the downloads: who gets what."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from publicity.briefings import exports, views
from publicity.tests.briefings.conftest import ARTICLE_TITLES
from text.script import to_simplified

pytestmark = pytest.mark.django_db

DOCX_TYPE = exports.KINDS[exports.DOCX][0]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def export_url(page, kind, *, draft=False):
    return f"/column/briefings/{page.pk}/{kind}/" + ("?draft=1" if draft else "")


def test_the_briefing_page_lists_its_articles_and_downloads(client, published):
    page = client.get(published.url).content.decode()
    for title in ARTICLE_TITLES:
        assert to_simplified(title) in page  # the site's default script
    assert export_url(published, "pdf") in page
    assert export_url(published, "wallboard") in page


def test_the_list_shows_published_briefings_newest_first(
    client, world, column, articles, published
):
    from publicity.briefings import actions
    from publicity.tests.briefings.conftest import publish

    second = publish(
        actions.create_briefing(
            column, title="第二期的簡報", text="", articles=articles, actor=world.editor
        ),
        world.editor,
    )
    actions.create_briefing(
        column, title="尚未發布的草稿", text="", articles=articles, actor=world.editor
    )
    page = client.get(f"/column/briefings/{world.campaign.slug}/").content.decode()
    newer, older = to_simplified(second.title), to_simplified(published.title)
    assert page.index(newer) < page.index(older)
    assert to_simplified("尚未發布的草稿") not in page


def test_the_list_pages_by_issue_number(client, world, published, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    from publicity.tests.briefings.conftest import publish

    copy = published.copy(
        update_attrs={"slug": "c", "title": "第二份"}, keep_live=False
    )
    second = publish(copy.specific, world.editor)
    first_page = client.get(f"/column/briefings/{world.campaign.slug}/")
    body = first_page.content.decode()
    assert to_simplified(second.title) in body
    assert to_simplified(published.title) not in body
    assert f"?before={second.issue_number}" in body
    older = client.get(f"/column/briefings/{world.campaign.slug}/?before=2")
    assert to_simplified(published.title) in older.content.decode()


def test_the_column_page_links_the_list(client, world, column):
    page = client.get(column.url).content.decode()
    assert f"/column/briefings/{world.campaign.slug}/" in page


def test_anyone_downloads_a_published_briefing(client, published):
    response = client.get(export_url(published, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert "briefing-1.docx" in response["Content-Disposition"]
    for kind in ("pdf", "wallboard"):
        response = client.get(export_url(published, kind))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def test_an_unknown_export_kind_is_not_found(client, published):
    assert client.get(export_url(published, "exe")).status_code == 404


@pytest.mark.parametrize("persona", [None, "liaison_a", "leader", "other_editor"])
def test_a_draft_is_not_downloaded_by_those_who_may_not_compile_it(
    client, login, world, other_world, draft, persona
):
    if persona == "other_editor":
        login(other_world.editor)
    elif persona:
        login(getattr(world, persona))
    for kind in exports.KINDS:
        assert client.get(export_url(draft, kind)).status_code == 404
        assert client.get(export_url(draft, kind, draft=True)).status_code == 404


@pytest.mark.parametrize("persona", ["editor", "director"])
def test_the_compilers_download_the_draft(client, login, world, draft, persona):
    login(getattr(world, persona))
    response = client.get(export_url(draft, "docx", draft=True))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_a_published_file_is_rendered_once_per_revision(client, published, monkeypatch):
    assert client.get(export_url(published, "docx")).status_code == 200

    def refuse(page):
        raise AssertionError("rendered again")

    monkeypatch.setattr(exports, "render_docx", refuse)
    assert client.get(export_url(published, "docx")).status_code == 200


def test_renders_are_rate_limited_per_client(client, published, monkeypatch):
    monkeypatch.setattr(views, "RENDERS_PER_MINUTE", 1)
    monkeypatch.setattr(exports, "render_pdf", lambda page, wall_board=False: b"%PDF")
    assert client.get(export_url(published, "pdf")).status_code == 200
    response = client.get(export_url(published, "wallboard"))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    # A file already kept costs nothing and is still served.
    assert client.get(export_url(published, "pdf")).status_code == 200


def test_one_file_is_rendered_by_one_request_at_a_time(client, published):
    with translation.override(settings.LANGUAGE_CODE):  # the request's language
        key = exports.export_key(published, "pdf")
    cache.add(f"briefing-render:{key}", 1)
    assert client.get(export_url(published, "pdf")).status_code == 503


def test_a_published_briefings_new_draft_stays_with_its_compilers(
    client, login, world, published, articles
):
    from publicity.briefings import actions

    assert client.get(export_url(published, "docx")).status_code == 200
    actions.update_briefing(
        published,
        title="尚未發布的新標題",
        text="<p>新草稿</p>",
        articles=articles,
        revision_id=published.latest_revision_id,
        actor=world.editor,
    )
    login(world.editor)
    draft = client.get(export_url(published, "docx", draft=True))
    # in the reader's script (the site's default, simplified)
    assert "尚未发布的新标题".encode() in docx_text(draft.content)
    client.logout()
    public = client.get(export_url(published, "docx"))
    assert "尚未发布的新标题".encode() not in docx_text(public.content)
    assert to_simplified(published.title).encode() in docx_text(public.content)


def docx_text(data: bytes) -> bytes:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs).encode()
