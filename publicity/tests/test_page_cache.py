"""Whole public pages from the cache: what a publish, an unpublish, a scheduled
go-live or a campaign change does to them, who never gets them, and what is never
stored.

A response replayed from the cache renders no template, so the test client gives
it no ``context``: that is how these tests tell a hit from a rendering.
"""

import datetime

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from campaigns.models import Phase
from publicity import actions, page_cache
from publicity.models import ArticleDayHits
from publicity.tests.conftest import publish_plain, write

pytestmark = pytest.mark.django_db

DAY = datetime.date(2007, 4, 1)


def served_from_cache(response) -> bool:
    return response.context is None


def approve(world, column, title: str):
    page = write(world, column, title=title)
    actions.submit_article(page, actor=world.liaison_a)
    actions.approve_article(page, actor=world.editor)
    page.refresh_from_db()
    return page


@pytest.fixture(params=["database", "shared cache"])
def version_store(request, monkeypatch) -> str:
    """Both places the version can live: the database row (a cache in each
    process's memory) and the cache itself (Redis in production)."""
    shared = request.param == "shared cache"
    monkeypatch.setattr(page_cache, "version_in_cache", lambda: shared)
    return str(request.param)


def test_a_second_anonymous_reading_comes_from_the_cache(client, column):
    publish_plain(column, "舊報道", on=DAY)
    first = client.get(column.get_url())
    second = client.get(column.get_url())
    assert not served_from_cache(first)
    assert served_from_cache(second)
    assert second.status_code == 200
    assert "旧报道" in second.content.decode()


def test_a_hit_asks_the_database_nothing_when_the_cache_holds_the_version(
    client, column, version_store
):
    publish_plain(column, "舊報道", on=DAY)
    client.get(column.get_url())
    with CaptureQueriesContext(connection) as captured:
        response = client.get(column.get_url())
    assert served_from_cache(response)
    expected = 0 if version_store == "shared cache" else 1
    assert len(captured) == expected, [q["sql"] for q in captured]


def test_a_publish_shows_the_new_article_in_the_very_next_response(
    client, world, column, version_store
):
    publish_plain(column, "舊報道", on=DAY)
    client.get(column.get_url())
    assert served_from_cache(client.get(column.get_url()))
    approve(world, column, "新報道")
    response = client.get(column.get_url())
    assert not served_from_cache(response)
    assert "新报道" in response.content.decode()


def test_an_unpublish_removes_the_article_from_the_list_and_its_page(
    client, world, column, version_store
):
    page = approve(world, column, "撤下的報道")
    article_url = page.get_url()
    for _ in range(2):
        assert "撤下的报道" in client.get(column.get_url()).content.decode()
        assert client.get(article_url).status_code == 200
    page.unpublish()
    assert "撤下的报道" not in client.get(column.get_url()).content.decode()
    assert client.get(article_url).status_code == 404


def test_a_scheduled_go_live_shows_at_once(client, world, column):
    page = write(world, column, title="定時發布")
    client.get(column.get_url())
    page.save_revision(
        user=world.editor,
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    call_command("publish_scheduled")
    assert "定时发布" in client.get(column.get_url()).content.decode()


def test_a_change_to_the_campaign_shows_at_once(client, world, column):
    client.get(column.get_url())
    Phase.objects.create(
        campaign=world.campaign,
        name="總結提高階段",
        sequence=9,
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=30),
    )
    assert "总结提高阶段" in client.get(column.get_url()).content.decode()


def test_a_move_or_a_deletion_shows_at_once(client, world, column):
    page = publish_plain(column, "將刪除的報道", on=DAY)
    client.get(column.get_url())
    page.delete()
    assert "将删除的报道" not in client.get(column.get_url()).content.decode()


def test_signed_in_editors_never_get_or_leave_the_anonymous_page(
    client, login, world, column
):
    publish_plain(column, "報道", on=DAY)
    anonymous = Client()
    anonymous.get(column.get_url())
    assert served_from_cache(anonymous.get(column.get_url()))
    login(world.editor)
    for _ in range(2):
        assert not served_from_cache(client.get(column.get_url()))
    # What the editor was shown was not stored for anyone either.
    page_cache_key_count = len(
        [k for k in page_cache.cache._cache if "publicity:page:" in k]  # type: ignore[attr-defined]
    )
    assert page_cache_key_count == 1


def test_the_script_and_the_language_give_distinct_pages(client, settings, column):
    publish_plain(column, "服務群眾報道", on=DAY)
    pages: dict[str, list[str]] = {}
    for language in ("zh-hans", "zh-hant", "en", "zh-hant", "zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages.setdefault(language, []).append(
            client.get(column.get_url()).content.decode()
        )
    assert all("服务群众报道" in page for page in pages["zh-hans"])
    assert all("服務群眾報道" in page for page in pages["zh-hant"])
    assert all("Latest reports" in page for page in pages["en"])
    assert not any("Latest reports" in page for page in pages["zh-hans"])


def test_the_stored_page_carries_nobodys_csrf_token(settings, column):
    first, second = Client(), Client()
    one = first.get(column.get_url())
    two = second.get(column.get_url())
    assert served_from_cache(two)
    tokens = []
    for client, response in ((first, one), (second, two)):
        page = response.content.decode()
        assert page_cache.CSRF_PLACEHOLDER not in page
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        tokens.append(token)
        assert client.cookies[settings.CSRF_COOKIE_NAME].value
    assert tokens[0] != tokens[1]


def test_the_language_switch_works_from_a_cached_page(settings, column):
    client = Client(enforce_csrf_checks=True)
    Client().get(column.get_url())  # stored by someone else
    page = client.get(column.get_url())
    assert served_from_cache(page)
    token = page.content.decode().split('csrfmiddlewaretoken" value="')[1][:64]
    response = client.post(
        "/i18n/setlang/",
        {"language": "zh-hant", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_error_pages_are_never_stored(client, column):
    missing = f"{column.get_url()}no-such-article/"
    assert client.get(missing).status_code == 404
    second = client.get(missing)
    assert second.status_code == 404
    assert not served_from_cache(second)


def test_a_reader_with_messages_waiting_gets_a_fresh_page(client, column):
    client.get(column.get_url())
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "好")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert not served_from_cache(client.get(column.get_url()))


def test_made_up_query_parameters_are_answered_but_not_stored(client, column):
    for _ in range(2):
        response = client.get(column.get_url(), {"utm_source": "x"})
        assert response.status_code == 200
        assert not served_from_cache(response)
    client.get(column.get_url(), {"category": "measures"})
    assert served_from_cache(client.get(column.get_url(), {"category": "measures"}))


def test_a_page_behind_a_view_restriction_is_never_stored(client, column):
    page = publish_plain(column, "內部報道", on=DAY)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="口令"
    )
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "口令", "return_url": page.get_url()},
    )
    assert response.status_code == 302
    for _ in range(2):
        response = client.get(page.get_url())
        assert "内部报道" in response.content.decode()
        assert not served_from_cache(response)
    stranger = Client().get(page.get_url()).content.decode()
    assert "password" in stranger
    assert "<p>内部报道</p>" not in stranger


def test_every_reading_of_a_cached_article_is_counted(client, column):
    page = publish_plain(column, "讀者", on=DAY)
    responses = [client.get(page.get_url()) for _ in range(3)]
    assert [served_from_cache(r) for r in responses] == [False, True, True]
    assert ArticleDayHits.objects.get(page=page).hits == 3


def test_the_briefings_list_is_cached_and_a_new_issue_shows_at_once(
    client, world, column
):
    from publicity.briefings import actions as briefing_actions

    article = publish_plain(column, "入選報道", on=DAY)
    path = f"/column/briefings/{world.campaign.slug}/"
    client.get(path)
    assert served_from_cache(client.get(path))
    briefing = briefing_actions.create_briefing(
        column, title="簡報", text="", articles=[article], actor=world.editor
    )
    briefing_actions.publish_briefing(
        briefing, revision_id=briefing.latest_revision_id, actor=world.editor
    )
    response = client.get(path)
    assert not served_from_cache(response)
    assert "简报" in response.content.decode()


def test_readings_are_gathered_in_memory_and_written_in_one_batch(
    client, settings, column
):
    from publicity import readings

    settings.SANFU_READINGS_FLUSH_SECONDS = 3600
    readings.write_readings()  # starts the interval now
    page = publish_plain(column, "讀者", on=DAY)
    for _ in range(4):
        client.get(page.get_url())
    assert not ArticleDayHits.objects.filter(page=page).exists()
    readings.write_readings()
    assert ArticleDayHits.objects.get(page=page).hits == 4
