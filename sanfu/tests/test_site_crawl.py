"""The public site holds together: from the home page a reader reaches every kind of
public page within two clicks, in each language, and finds no missing or broken
page on the way; every page carries the same name, header and footer."""

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import World
from sanfu.tests.public_site import IDENTITY, PublicSite, build_public_site

LANGUAGES = ["zh-hans", "zh-hant", "en"]
# Not pages to read: the back office, the language switch (a POST), files.
SKIPPED = ("/admin/", "/i18n/", "/documents/", "/media/", "/static/")


class _Links(HTMLParser):
    """The page's links, and its search forms as a reader fills them in."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "form" and values.get("role") == "search":
            self.links.append(f"{values.get('action') or ''}?q=调研")


def _internal(base: str, href: str) -> str | None:
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    if url.path.startswith(SKIPPED) or not url.path.startswith("/"):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _site_name(page: str) -> str:
    found = re.search(r'<a class="site-name" href="/">([^<]*)</a>', page)
    return found.group(1) if found else ""


def crawl(client: Any, depth: int = 2) -> tuple[dict[str, int], set[str]]:
    """Status of every URL within ``depth`` clicks of the home page, and the
    names the headers of the HTML pages among them gave the site."""
    statuses: dict[str, int] = {}
    names: set[str] = set()
    frontier = ["/"]
    for level in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            if path in statuses:
                continue
            response = client.get(path, follow=True)
            statuses[path] = response.status_code
            if not response["Content-Type"].startswith("text/html"):
                continue
            page = response.content.decode()
            names.add(_site_name(page))
            if level == depth:
                continue
            parser = _Links()
            parser.feed(page)
            for href in parser.links:
                link = _internal(path, href)
                if link and link not in statuses:
                    following.append(link)
        frontier = following
    return statuses, names


def expected_pages(site: PublicSite, world: World) -> dict[str, str]:
    slug = world.campaign.slug
    return {
        "home": "/",
        "section": site.column.get_parent().url,
        "column": site.column.url,
        "article": site.article.url,
        "notice": site.notice.url,
        "advanced model on public notice": site.model.url,
        "briefing": site.briefing.url,
        "briefings": reverse("publicity:briefing_list", args=[slug]),
        "practical deeds": reverse("ledgers:deeds", args=[slug]),
        "rectification disclosure": reverse("ledgers:disclosure", args=[slug]),
        "monthly figures": reverse("demands:figures"),
        "demand form": reverse("demands:submit", args=[slug]),
        "campaign choice": reverse("demands:choose_campaign"),
        "tracking": reverse("demands:track"),
        "replied demands": reverse("demands:replied"),
        "search": reverse("publicity:search"),
        "feed": reverse("publicity:site_feed"),
    }


@pytest.fixture
def site(world: World) -> PublicSite:
    return build_public_site(world)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db
def test_every_public_page_type_is_two_clicks_from_home(
    client: Any, world: World, site: PublicSite, language: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    statuses, names = crawl(client)
    reached = {urlsplit(path).path for path in statuses}
    missing = {
        kind: url
        for kind, url in expected_pages(site, world).items()
        if urlsplit(url).path not in reached
    }
    assert not missing
    # (a briefing's files answer 202 while they are being made)
    broken = {path: status for path, status in statuses.items() if status >= 400}
    assert not broken
    # one name in every header, the one the settings give
    assert len(names) == 1
    if language == "zh-hant":
        assert names == {IDENTITY["site_name"]}


@pytest.mark.django_db
def test_the_language_switch_keeps_the_reader_on_the_page(
    client: Any, site: PublicSite
) -> None:
    path = site.column.url
    for language, word in (
        ("zh-hant", "專欄"),
        ("en", 'lang="en"'),
        ("zh-hans", "专栏"),
    ):
        response = client.post(
            "/i18n/setlang/", {"language": language, "next": path}, follow=True
        )
        assert response.redirect_chain[-1][0] == path
        assert word in response.content.decode()


@pytest.mark.django_db
def test_the_sitemap_lists_every_public_page_type(
    client: Any, world: World, site: PublicSite
) -> None:
    sitemap = client.get("/sitemap.xml").content.decode()
    listed = {urlsplit(url).path for url in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
    for kind, url in expected_pages(site, world).items():
        # the forms and the feed are not pages for an index (robots.txt keeps
        # crawlers out of the tracking pages)
        if kind not in ("tracking", "search", "feed"):
            assert urlsplit(url).path in listed, kind
    assert reverse("demands:track") not in listed
