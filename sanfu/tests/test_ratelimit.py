"""The public rate limit: per client, and not fooled by a header the client sets."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.ratelimit import client_key, hit


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_client_is_limited_within_the_window():
    assert [hit("t", "1.2.3.4", limit=2, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert hit("t", "5.6.7.8", limit=2, window=60)


def test_a_header_from_the_client_does_not_change_who_it_is(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="1.2.3.4", HTTP_X_REAL_IP="9.9.9.9")
    assert client_key(request) == "1.2.3.4"


def test_a_trusted_proxy_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="9.9.9.9"
    )
    assert client_key(request) == "9.9.9.9"
