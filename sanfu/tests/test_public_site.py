"""The public site as a crawler and a lost reader meet it: robots.txt, the sitemap,
feed autodiscovery and the error pages."""

import re
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


# --- one site: the name, the header and the footer from the settings ---


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.django_db
def test_cms_and_app_pages_carry_one_name_and_the_footer_of_the_settings(
    client: Any, world: World, language: str, settings: Any
) -> None:
    from sanfu.tests.public_site import IDENTITY, build_public_site

    site = build_public_site(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    headers = set()
    for path in (
        "/",
        site.article.url,
        reverse("ledgers:deeds", args=[world.campaign.slug]),
        reverse("demands:figures"),
        "/no-such-page/",
    ):
        page = client.get(path).content.decode()
        header = page[page.index('<header class="site-header">') :]
        headers.add(header[: header.index("</nav>")])
        footer = page[page.index('<footer class="site-footer">') :]
        for kind in ("sponsor", "organiser", "contact", "icp", "public-security"):
            assert f'data-identity="{kind}"' in footer, (path, kind)
        assert "bm39000000" in footer
        assert "44010602000000" in footer
    names = {re.search(r'class="site-name" href="/">([^<]*)<', h)[1] for h in headers}  # type: ignore[index]
    assert len(names) == 1
    if language == "zh-hant":
        assert names == {IDENTITY["site_name"]}


@pytest.mark.django_db
def test_the_navigation_leads_to_the_campaigns_records(
    client: Any, world: World
) -> None:
    column = build_column(world)
    slug = world.campaign.slug
    page = client.get(reverse("demands:track")).content.decode()
    nav = page[page.index('<nav class="site-nav"') :]
    nav = nav[: nav.index("</nav>")]
    for path in (
        column.url,
        reverse("ledgers:deeds", args=[slug]),
        reverse("ledgers:disclosure", args=[slug]),
        reverse("publicity:briefing_list", args=[slug]),
        reverse("demands:figures"),
        reverse("demands:choose_campaign"),
        reverse("demands:replied"),
    ):
        assert f'href="{path}"' in nav, path
    assert f'href="{reverse("demands:track")}" aria-current="page"' in nav
    assert f'action="{reverse("publicity:search")}"' in page


@pytest.mark.django_db
def test_a_change_to_the_settings_shows_at_once(client: Any, world: World) -> None:
    from publicity.site_identity import SiteIdentity

    build_column(world)
    identity = SiteIdentity.objects.create(site_name="甲網站", sponsor="甲委員會")
    assert "甲委员会" in client.get("/demands/track/").content.decode()
    identity.site_name, identity.sponsor = "乙網站", "乙委員會"
    identity.save()
    page = client.get("/demands/track/").content.decode()
    assert "乙委员会" in page and "乙网站" in page
    assert "甲委员会" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_settings_are_edited_in_the_admin(client: Any, world: World) -> None:
    client.force_login(world.superuser)
    response = client.get("/admin/settings/publicity/siteidentity/")
    assert response.status_code in (200, 302)
    response = client.get(
        response.url
        if response.status_code == 302
        else "/admin/settings/publicity/siteidentity/",
        follow=True,
    )
    assert response.status_code == 200
    assert 'name="icp_number"' in response.content.decode()


@pytest.mark.django_db
def test_a_missing_page_is_the_sites_own_404_under_debug_too(
    client: Any, world: World, settings: Any
) -> None:
    build_column(world)
    settings.DEBUG = True
    for path in ("/no-such-page/", "/dangqun-column/column/no-such-article/"):
        response = client.get(path)
        assert response.status_code == 404
        page = response.content.decode()
        assert 'class="site-header"' in page, path
        assert "technical_404" not in page and "Using the URLconf" not in page


@pytest.mark.django_db
def test_a_missing_page_is_in_the_readers_script(client: Any, world: World) -> None:
    from publicity.site_identity import SiteIdentity

    SiteIdentity.objects.create(site_name="珠江水利網站")
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert "珠江水利网站" in response.content.decode()


@pytest.mark.django_db
def test_the_feed_gives_the_readers_host_and_the_articles_own_dates(
    client: Any, world: World, settings: Any
) -> None:
    import datetime

    import feedparser

    from publicity.tests.conftest import publish_plain

    settings.ALLOWED_HOSTS = ["sanfu.example.gov.cn"]
    column = build_column(world)
    article = publish_plain(column, "珠江委開展調研活動", on=datetime.date(2007, 3, 28))
    article.save_revision().publish()
    content = client.get("/column/feed/", HTTP_HOST="sanfu.example.gov.cn").content
    feed = feedparser.parse(content)
    entry = feed.entries[0]
    assert entry.link.startswith("http://sanfu.example.gov.cn/")
    assert entry.published.startswith("2007-03-28T00:00:00")
    assert entry.updated.startswith("2007-03-28T00:00:00")
    assert b"localhost" not in content
