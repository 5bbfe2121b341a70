"""The public briefing pages and the downloads: who gets what."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from publicity.briefings import exports, files, views
from publicity.briefings.models import BriefingFile, FileState
from publicity.tests.briefings.conftest import ARTICLE_TITLES
from sanfu.tests.files import streamed_body
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


def work() -> int:
    """What the worker does: make every file waiting for it; returns how many."""
    waiting = list(
        BriefingFile.objects.filter(state=FileState.QUEUED).values_list("pk", flat=True)
    )
    for pk in waiting:
        files.make_file(pk)
    return len(waiting)


def body(response) -> bytes:
    """A file response's bytes; the file is closed."""
    return streamed_body(response)


def download(client, url):
    """Ask, let the worker make what is waiting, ask again."""
    first = client.get(url)
    if first.status_code != 202:
        return first
    work()
    return client.get(url)


def test_anyone_downloads_a_published_briefing(client, published):
    response = download(client, export_url(published, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert "briefing-1.docx" in response["Content-Disposition"]
    assert "public" in response["Cache-Control"]
    assert body(response).startswith(b"PK")
    for kind in ("pdf", "wallboard"):
        response = download(client, export_url(published, kind))
        assert response.status_code == 200
        assert body(response).startswith(b"%PDF")


def test_an_unknown_export_kind_is_not_found(client, published):
    assert client.get(export_url(published, "exe")).status_code == 404
    assert client.get(export_url(published, "exe") + "status/").status_code == 404


@pytest.mark.parametrize("persona", [None, "liaison_a", "leader", "other_editor"])
def test_a_draft_is_not_downloaded_by_those_who_may_not_compile_it(
    client, login, world, other_world, draft, persona
):
    if persona == "other_editor":
        login(other_world.editor)
    elif persona:
        login(getattr(world, persona))
    for kind in exports.KINDS:
        for url in (export_url(draft, kind), export_url(draft, kind, draft=True)):
            assert client.get(url).status_code == 404
            status = url.replace(f"/{kind}/", f"/{kind}/status/")
            assert client.get(status).status_code == 404
    assert not BriefingFile.objects.filter(draft=True).exists()


@pytest.mark.parametrize("persona", ["editor", "director"])
def test_the_compilers_download_the_draft(client, login, world, draft, persona):
    login(getattr(world, persona))
    response = download(client, export_url(draft, "docx", draft=True))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    body(response)


def test_the_download_answers_without_rendering_and_the_worker_makes_the_file(
    client, published, monkeypatch, django_capture_on_commit_callbacks
):
    BriefingFile.objects.all().delete()  # not made ahead: the first reader asks

    def refuse(page, **kwargs):
        raise AssertionError("rendered inside the request")

    monkeypatch.setattr(exports, "render_pdf", refuse)
    with django_capture_on_commit_callbacks() as queued:
        response = client.get(export_url(published, "pdf"))
    assert response.status_code == 202
    assert response["Retry-After"] == str(views.RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert 'role="status"' in page
    assert export_url(published, "pdf") + "status/" in page
    status = client.get(export_url(published, "pdf") + "status/").json()
    assert status["state"] == "queued" and not status["ready"]
    assert len(queued) == 1  # the worker's task, once: asking again queued nothing

    monkeypatch.undo()
    for callback in queued:  # the task, after the request's commit
        callback()
    assert client.get(export_url(published, "pdf") + "status/").json()["ready"]
    response = client.get(export_url(published, "pdf"))
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")


# the worker closes its connection between tasks, as a worker must: a test of its
# own transaction would lose it (PostgreSQL)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_makes_the_file_the_request_queued(
    client, published, database_tasks, django_capture_on_commit_callbacks
):
    BriefingFile.objects.all().delete()
    url = export_url(published, "wallboard")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202
    assert client.get(url).status_code == 202  # queued, not made by a request
    database_tasks()  # manage.py db_worker, once
    response = client.get(url)
    assert response.status_code == 200
    assert "briefing-1-wallboard.pdf" in response["Content-Disposition"]
    assert body(response).startswith(b"%PDF")


def test_a_published_file_is_rendered_once_per_revision(client, published, monkeypatch):
    body(download(client, export_url(published, "docx")))

    def refuse(page):
        raise AssertionError("rendered again")

    monkeypatch.setattr(exports, "render_docx", refuse)
    response = client.get(export_url(published, "docx"))
    assert response.status_code == 200
    body(response)
    assert work() == 0


def test_a_file_is_kept_per_language_and_script(client, published):
    for language in ("zh-hans", "zh-hant", "en"):
        with translation.override(language):
            files.ask_for_file(published, "pdf", draft=False)
    rows = BriefingFile.objects.filter(kind="pdf", draft=False)
    assert sorted(rows.values_list("language", "script")) == [
        ("en", "hans"),
        ("zh-hans", "hans"),
        ("zh-hant", "hant"),
    ]
    assert len({row.key for row in rows}) == 3


# the worker closes its connection between tasks, as a worker must: a test of its
# own transaction would lose it (PostgreSQL)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_makes_every_file_ahead(
    world, draft, monkeypatch, database_tasks, django_capture_on_commit_callbacks
):
    from publicity.tests.briefings.conftest import publish

    monkeypatch.setattr(exports, "render_pdf", lambda page, wall_board=False: b"%PDF")
    monkeypatch.setattr(exports, "render_docx", lambda page: b"PK")
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, world.editor)
    rows = BriefingFile.objects.filter(briefing=draft, draft=False)
    assert rows.count() == len(exports.KINDS) * len(settings.LANGUAGES)
    assert set(rows.values_list("state", flat=True)) == {FileState.QUEUED}
    database_tasks()  # the worker
    assert set(rows.values_list("state", flat=True)) == {FileState.READY}


def test_without_a_worker_publishing_renders_nothing_ahead(
    world, draft, monkeypatch, django_capture_on_commit_callbacks
):
    from publicity.tests.briefings.conftest import publish

    def refuse(page, **kwargs):
        raise AssertionError("rendered in the publisher's request")

    monkeypatch.setattr(exports, "render_pdf", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, world.editor)
    assert not BriefingFile.objects.exists()


def test_a_change_to_the_briefing_gives_a_new_file_and_drops_the_old(
    client, world, published, articles, monkeypatch
):
    first = download(client, export_url(published, "docx"))
    assert first.status_code == 200
    body(first)
    old = BriefingFile.objects.get(
        kind="docx", draft=False, language=settings.LANGUAGE_CODE
    )
    from publicity.briefings import actions
    from publicity.tests.briefings.conftest import publish

    actions.update_briefing(
        published,
        title="第一期改過的標題",
        text="<p>改過</p>",
        articles=articles,
        revision_id=published.latest_revision_id,
        actor=world.editor,
    )
    publish(published, world.editor)
    assert client.get(export_url(published, "docx")).status_code == 202
    assert not BriefingFile.objects.filter(pk=old.pk).exists()
    response = download(client, export_url(published, "docx"))
    # in the reader's script (the site's default, simplified)
    assert "第一期改过的标题".encode() in docx_text(body(response))


def test_a_failed_render_says_so_and_is_tried_again_later(
    client, published, monkeypatch
):
    BriefingFile.objects.all().delete()

    def broken(page, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(exports, "render_pdf", broken)
    assert client.get(export_url(published, "pdf")).status_code == 202
    work()
    row = BriefingFile.objects.get(kind="pdf")
    assert row.state == FileState.FAILED
    assert 'role="alert"' in client.get(export_url(published, "pdf")).content.decode()
    assert work() == 0  # not again at once
    BriefingFile.objects.filter(pk=row.pk).update(
        asked_at=row.asked_at - files.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    monkeypatch.undo()
    assert body(download(client, export_url(published, "pdf"))).startswith(b"%PDF")


def test_a_compiler_who_lost_the_right_gets_no_draft_file(client, login, world, draft):
    login(world.editor)
    assert client.get(export_url(draft, "pdf", draft=True)).status_code == 202
    row = BriefingFile.objects.get(draft=True, kind="pdf")
    assert row.requested_by == world.editor
    world.editor.positions.all().delete()  # no longer in the publicity group
    work()
    assert not BriefingFile.objects.filter(pk=row.pk).exists()


def test_a_published_briefings_new_draft_stays_with_its_compilers(
    client, login, world, published, articles
):
    from publicity.briefings import actions

    body(download(client, export_url(published, "docx")))
    actions.update_briefing(
        published,
        title="尚未發布的新標題",
        text="<p>新草稿</p>",
        articles=articles,
        revision_id=published.latest_revision_id,
        actor=world.editor,
    )
    login(world.editor)
    draft = download(client, export_url(published, "docx", draft=True))
    # in the reader's script (the site's default, simplified)
    assert "尚未发布的新标题".encode() in docx_text(body(draft))
    client.logout()
    public = download(client, export_url(published, "docx"))
    content = body(public)
    assert "尚未发布的新标题".encode() not in docx_text(content)
    assert to_simplified(published.title).encode() in docx_text(content)


def docx_text(data: bytes) -> bytes:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs).encode()
