"""The public site as a crawler and a lost reader meet it: robots.txt, the sitemap,
feed autodiscovery and the error pages."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from conftest import World
from publicity.tests.conftest import build_column
from sanfu import views

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client: Any) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ET.fromstring(response.content)
    return [loc.text or "" for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]


@pytest.mark.django_db
def test_robots_txt_allows_the_site_and_points_to_the_sitemap(client: Any) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/admin/", "/api/", "/demands/track/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.django_db
def test_robots_txt_takes_no_post(client: Any) -> None:
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.django_db
def test_the_sitemap_lists_the_pages_and_the_apps_public_pages(
    client: Any, world: World
) -> None:
    column = build_column(world)
    slug = world.campaign.slug
    locations = _locations(client)
    expected = [
        column.get_url(),
        reverse("demands:choose_campaign"),
        reverse("demands:track"),
        reverse("demands:replied"),
        reverse("demands:figures"),
        reverse("ledgers:deeds", args=[slug]),
        reverse("ledgers:disclosure", args=[slug]),
        reverse("publicity:briefing_list", args=[slug]),
        reverse("demands:submit", args=[slug]),
    ]
    for path in expected:
        assert f"http://testserver{path}" in locations
    assert all(location.startswith("http://testserver/") for location in locations)
    for location in locations:
        path = location.removeprefix("http://testserver")
        assert client.get(path, follow=True).status_code == 200, path


@pytest.mark.django_db
def test_the_sitemap_leaves_out_draft_campaigns_and_the_back_office(
    client: Any, world: World
) -> None:
    from campaigns.tests.factories import CampaignFactory

    draft = CampaignFactory.create(status="draft")
    locations = _locations(client)
    assert not any(draft.slug in location for location in locations)
    assert not any("/admin/" in location for location in locations)


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.django_db
def test_every_public_page_announces_the_feed(
    client: Any, world: World, language: str
) -> None:
    column = build_column(world)
    link = '<link rel="alternate" type="application/atom+xml" title="'
    for path in (
        "/",
        column.get_url(),
        reverse("demands:choose_campaign"),
        reverse("demands:figures"),
        reverse("ledgers:deeds", args=[world.campaign.slug]),
        "/no-such-page/",
    ):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language, follow=True)
        page = response.content.decode()
        assert link in page, path
        assert 'href="/column/feed/"' in page, path


@pytest.mark.django_db
def test_the_site_feed_lists_every_columns_articles(client: Any, world: World) -> None:
    import datetime

    import feedparser

    from publicity.tests.conftest import publish_plain

    column = build_column(world)
    publish_plain(column, "珠江委開展調研活動", on=datetime.date(2007, 3, 28))
    feed = feedparser.parse(client.get("/column/feed/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["珠江委开展调研活动"]
    assert feed.feed.link == "http://testserver/"


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.django_db
def test_a_missing_page_is_the_sites_own_404(
    client: Any, world: World, language: str
) -> None:
    build_column(world)
    for path in ("/no-such-page/", "/demands/figures/?year=1999"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 404
        page = response.content.decode()
        assert 'class="site-header"' in page
        assert "<h1>Not Found</h1>" not in page  # Django's bare page
        assert f'<html lang="{language}">' in page
        if language == "en":
            assert "<h1>Page not found</h1>" in page


def test_the_500_page_needs_neither_the_database_nor_the_request() -> None:
    # no django_db here: a query would raise
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = views.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert 'class="site-header"' in page
    assert "<h1>Server error</h1>" in page
    assert "alternate" not in page
