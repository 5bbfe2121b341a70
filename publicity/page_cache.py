"""Whole public pages kept in the cache for anonymous readers.

A page opts in (``allow_page_cache`` on its response: the site's Wagtail pages and
the briefings list). The entry is keyed by host, path and query, language and script,
and holds the version of the public pages it was rendered under; every publish,
unpublish, move or deletion of a page, and every change to what the column shows of
its campaign, bumps that version (publicity.signals), so the next request renders
afresh on every app server. Nothing is ever deleted: an old entry simply no longer
matches and is overwritten.

The version lives where every server and every command sees it: in the cache when
the cache is shared (Redis), in one database row when the cache is the process's own
memory (the embedded default, where the periodic command runs in another process).
A hit then costs one cache round trip (the version and the page are read together)
and no database query (an article's reading is counted in memory and written
in batches, publicity.readings).

What is never served from or put into the cache: a signed-in person's pages (the
Wagtail user bar, previews), a request or response carrying messages, a response that
sets a cookie, writes the session or hands out a real CSRF token, anything but a 200
HTML page, and a page behind a view restriction. The CSRF token of the language
switch's form, and the nonce of the page's scripts, are rendered as placeholders
and filled in for each response, so the stored bytes carry nobody's token and
every response its own nonce.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

from core.csp import nonce_placeholder
from core.display import display_mode
from text.middleware import UNCONVERTED_PATH_PREFIXES, active_script

VERSION_KEY = "publicity:pages:version"
TIMEOUT = 60 * 60
# ASCII, so that the script conversion leaves it alone.
CSRF_PLACEHOLDER = "sanfu-page-cache-csrf-token"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
# Headers the stored response keeps; the outer middleware adds the rest again.
_KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language")
_NOT_CACHED_PREFIXES = (*UNCONVERTED_PATH_PREFIXES, "/documents/", "/i18n/")


@dataclass(frozen=True)
class Entry:
    version: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    hit_page: int | None


# -- the version ---------------------------------------------------------------


def version_in_cache() -> bool:
    """Whether the cache is one every process shares (not the process's memory)."""
    backend = str(settings.CACHES["default"]["BACKEND"])
    return not backend.endswith(("LocMemCache", "DummyCache"))


def current_version() -> int:
    if version_in_cache():
        value = cache.get(VERSION_KEY)
        return _start_version() if value is None else int(value)
    from publicity.models import PageCacheVersion

    row = PageCacheVersion.objects.filter(pk=1).values_list("value", flat=True)
    return row.first() or 0


def _start_version() -> int:
    # Not 1: a version key lost from the cache (eviction, restart) must not start
    # again at a number old entries were stored under.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return int(cache.get(VERSION_KEY) or 0)


def bump_version() -> None:
    """What the public pages show has changed: no stored page matches any more,
    and the frame around them (the header's campaign, the footer) is read again."""
    from publicity.site_identity import forget_site_frame

    forget_site_frame()
    transaction.on_commit(forget_site_frame)
    if not version_in_cache():
        # In the writer's transaction: the new version and the new content become
        # visible together.
        from publicity.models import PageCacheVersion

        if not PageCacheVersion.objects.filter(pk=1).update(value=F("value") + 1):
            PageCacheVersion.objects.get_or_create(pk=1, defaults={"value": 1})
        return
    _bump_cached()
    # Again after the commit: a page rendered between the first bump and the commit
    # read the old content under the new version.
    transaction.on_commit(_bump_cached)


def _bump_cached() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        _start_version()
        cache.incr(VERSION_KEY)


# -- marking a response --------------------------------------------------------


def allow_page_cache(
    response: HttpResponseBase,
    *,
    query_keys: Iterable[str] = (),
    hit_page: int | None = None,
) -> None:
    """The page is the same for every anonymous reader of this URL and language.

    ``query_keys`` are the query parameters the page reads: a request with any
    other is answered but not stored (no entry per made-up parameter).
    ``hit_page`` is an article whose reading is counted on every hit too."""
    response.page_cache_query_keys = frozenset(query_keys)  # type: ignore[attr-defined]
    response.page_cache_hit_page = hit_page  # type: ignore[attr-defined]


def cached_page(
    *, query_keys: Iterable[str] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator form of ``allow_page_cache`` for a plain view."""
    keys = frozenset(query_keys)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            allow_page_cache(response, query_keys=keys)
            return response

        wrapped.page_cache = True  # type: ignore[attr-defined]
        return wrapped

    return decorate


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: in a page that may be stored, the CSRF token and the
    script nonce are placeholders the middleware fills in per response."""
    if getattr(request, "page_cache_key", None):
        return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": nonce_placeholder()}
    return {}


# -- the middleware ------------------------------------------------------------


class PageCacheMiddleware:
    """Serves and stores opted-in pages; sits inside the session, locale, auth and
    messages middleware and outside the script conversion, so what it stores is
    the converted page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _candidate_key(request)
        if key is None:
            return self.get_response(request)
        request.page_cache_key = key  # type: ignore[attr-defined]
        version, entry = _lookup(key)
        if entry is not None and entry.version == version:
            return _replay(request, entry)
        response = self.get_response(request)
        if isinstance(response, HttpResponse) and _storable(request, response):
            cache.set(key, _entry(version, response), TIMEOUT)
        if isinstance(response, HttpResponse) and not response.streaming:
            _fill_token(request, response)
        return response


def _candidate_key(request: HttpRequest) -> str | None:
    if request.method != "GET" or request.path_info.startswith(_NOT_CACHED_PREFIXES):
        return None
    if not _may_cache_view(request):
        return None
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    language = get_language() or ""
    # 长辈模式 is another rendering of the same page (sanfu.display)
    display = display_mode(request)
    parts = (
        request.get_host(),
        request.get_full_path(),
        language,
        active_script(),
        display,
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"publicity:page:{digest}"


def _may_cache_view(request: HttpRequest) -> bool:
    """Whether the URL leads to Wagtail's pages or to a view marked with
    ``cached_page``: no other request pays for a look-up."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve" or getattr(match.func, "page_cache", False)


def _lookup(key: str) -> tuple[int, Entry | None]:
    if not version_in_cache():
        return current_version(), cache.get(key)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return _start_version(), None
    return int(version), found.get(key)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    allowed = getattr(response, "page_cache_query_keys", None)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        allowed is not None
        and set(request.GET) <= allowed
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not request.META.get("CSRF_COOKIE_USED")
        and not request.session.modified
        and not len(messages.get_messages(request))
        and not any(w in cache_control for w in ("private", "no-cache", "no-store"))
    )


def _entry(version: int, response: HttpResponse) -> Entry:
    headers = tuple(
        (name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)
    )
    hit_page = getattr(response, "page_cache_hit_page", None)
    return Entry(version, response.content, headers, hit_page)


def _replay(request: HttpRequest, entry: Entry) -> HttpResponse:
    response = HttpResponse(entry.content)
    for name, value in entry.headers:
        response[name] = value
    _fill_token(request, response)
    if entry.hit_page is not None:
        from publicity.readings import count_reading

        count_reading(entry.hit_page)
    return response


def _fill_token(request: HttpRequest, response: HttpResponse) -> None:
    original = content = response.content
    if _PLACEHOLDER_BYTES in content:
        content = content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
    nonce = nonce_placeholder().encode()
    if nonce in content:
        content = content.replace(nonce, getattr(request, "csp_nonce", "").encode())
    if content == original:
        return
    response.content = content
    response["Content-Length"] = str(len(response.content))
