"""The 长辈模式 switch: on every public page, kept in a cookie like the language."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse

from core.display import COOKIE, ELDER
from sanfu.tests.soup import one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def switch(client, mode: str, next_url: str = "/demands/track/"):  # type: ignore[no-untyped-def]
    return client.post(reverse("set_display_mode"), {"mode": mode, "next": next_url})


def test_the_switch_keeps_elder_mode_in_a_cookie_and_goes_back(client):
    response = switch(client, ELDER)

    assert response.status_code == 302 and response["Location"] == "/demands/track/"
    assert response.cookies[COOKIE].value == ELDER
    assert response.cookies[COOKIE]["max-age"] == 365 * 24 * 60 * 60
    page = BeautifulSoup(client.get("/demands/track/").content, "html.parser")
    assert one(page, "html")["data-display"] == ELDER
    assert one(page, "[data-display-switch]")["aria-pressed"] == "true"
    assert page.select_one('link[href$="sanfu/elder.css"]') is not None


def test_the_switch_turns_it_off_again(client):
    switch(client, ELDER)
    response = switch(client, "standard")

    assert response.cookies[COOKIE].value == ""
    page = BeautifulSoup(client.get("/demands/track/").content, "html.parser")
    assert not one(page, "html").has_attr("data-display")
    assert one(page, "[data-display-switch]")["aria-pressed"] == "false"
    assert page.select_one('link[href$="sanfu/elder.css"]') is None


def test_it_goes_back_only_to_this_site(client):
    assert switch(client, ELDER, "https://evil.example/")["Location"] == "/"


def test_it_takes_no_get(client):
    assert client.get(reverse("set_display_mode")).status_code == 405


def test_every_public_page_has_the_switch_and_a_skip_link(client, world):
    for url in ("/demands/track/", "/demands/replied/", "/no-such-page/"):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        first = one(page, "body > *")
        assert first["class"] == ["skip-link"] and first["href"] == "#main", url
        assert page.select_one("main#main") is not None, url
        assert page.select_one("header [data-display-switch]") is not None, url
