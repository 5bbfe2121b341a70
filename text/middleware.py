"""Show public pages in the script of the reader's language.

Editors write in whichever script they use, and the seed material is itself a
half-converted mix, so templates and content cannot be relied on to match the
reader's choice. Converting the finished HTML once, on the way out, covers page
content, templates and catalogues alike; OpenCC leaves markup and Latin text alone.

Back-office screens (the admin, the API) are left as written: an editor must see and
edit what is stored, not a conversion of it. The same URL now serves different
bytes depending on the language cookie or header, hence the Vary header.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from text.script import Script, convert, convert_cached

UNCONVERTED_PATH_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/static/",
    "/media/",
)


class ScriptMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # Streaming responses (files, exports) are not HttpResponse instances.
        if isinstance(response, HttpResponse) and _is_public_html(request, response):
            _convert_response(
                response, active_script(), shared=_shareable(request, response)
            )
        return response


def active_script() -> Script:
    """The script for the active language; English pages show simplified names."""
    return "hant" if (get_language() or "").lower() == "zh-hant" else "hans"


def _is_public_html(request: HttpRequest, response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "")
    return (
        # a page that answers "being made" (202), "not found" (404) or a refusal
        # (400, 409, 429) is the site's page too, in the reader's script
        (200 <= response.status_code < 300 or 400 <= response.status_code < 500)
        and content_type.split(";")[0].strip().lower() == "text/html"
        # A compressed body cannot be converted as text.
        and not response.has_header("Content-Encoding")
        and not request.path_info.startswith(UNCONVERTED_PATH_PREFIXES)
    )


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the converted page may sit in the shared cache: not a page marked
    private or uncacheable (a tracking number and its query code), and not one that
    carries this visitor's CSRF token (each would be a cache entry of its own)."""
    cache_control = response.get("Cache-Control", "").lower()
    return not (
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def _convert_response(response: HttpResponse, script: Script, *, shared: bool) -> None:
    charset = response.charset
    try:
        text = response.content.decode(charset)
        converted = convert_cached(text, script) if shared else convert(text, script)
        if (get_language() or "").lower() == "en":
            converted = mark_chinese(converted)
        content = converted.encode(charset)
    except UnicodeError:
        # A page whose bytes do not match its declared charset is served as is.
        return
    response.content = content
    response.headers["Content-Length"] = str(len(content))
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


# Han characters, CJK punctuation and full-width forms; a run holds whatever stands
# between them but Latin letters and entities (「2007年3月28日」, 「李**先生」).
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_RUN = re.compile(f"[{_CJK}]+(?:[^&A-Za-z{_CJK}]+[{_CJK}]+)*")
_MARKUP = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
# elements whose text is not markup (a span there would show as text, or be dropped)
_RAW_TEXT = re.compile(r"<(script|style|title|textarea|option)\b", re.I)


def mark_chinese(html: str) -> str:
    """An English page shows Chinese content (titles, articles, names) as written,
    in simplified script: each run of it is marked ``lang="zh-Hans"``, so that a
    screen reader speaks it as Chinese, not as English (WCAG 3.1.2)."""
    parts = _MARKUP.split(html)
    raw_until = ""  # the closing tag that ends the raw text we are in
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a comment
            if raw_until:
                raw_until = "" if part.lower().startswith(raw_until) else raw_until
            elif (opened := _RAW_TEXT.match(part)) and not part.endswith("/>"):
                raw_until = f"</{opened.group(1).lower()}"
                # a choice in a list written in Chinese is marked as a whole
                following = parts[index + 1] if index + 1 < len(parts) else ""
                if raw_until == "</option" and _CJK_RUN.fullmatch(following.strip()):
                    parts[index] = f'{part[:-1]} lang="zh-Hans">'
        elif part and not raw_until:
            parts[index] = _CJK_RUN.sub(_marked, part)
    return "".join(parts)


def _marked(run: re.Match[str]) -> str:
    return f'<span lang="zh-Hans">{run.group(0)}</span>'
