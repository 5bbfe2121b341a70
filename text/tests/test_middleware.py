import json
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.test import RequestFactory
from django.utils import translation

from text.middleware import ScriptMiddleware

PAGE = "<html><body><p>為人民服务,机关</p></body></html>"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def html_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


def serve(
    path: str,
    language: str,
    view: Callable[[HttpRequest], HttpResponseBase],
) -> HttpResponseBase:
    request = RequestFactory().get(path)
    with translation.override(language):
        return ScriptMiddleware(view)(request)


def get(
    path: str,
    language: str,
    view: Callable[[HttpRequest], HttpResponseBase] = html_view,
) -> HttpResponse:
    response = serve(path, language, view)
    assert isinstance(response, HttpResponse)
    return response


def test_it_shows_traditional_text_to_a_zh_hant_reader() -> None:
    response = get("/news/", "zh-hant")

    assert (
        response.content.decode() == "<html><body><p>為人民服務,機關</p></body></html>"
    )


def test_it_shows_simplified_text_to_a_zh_hans_reader() -> None:
    response = get("/news/", "zh-hans")

    assert (
        response.content.decode() == "<html><body><p>为人民服务,机关</p></body></html>"
    )


def test_it_shows_simplified_text_to_an_english_reader() -> None:
    assert "为人民服务" in get("/news/", "en").content.decode()


def test_it_updates_the_content_length() -> None:
    response = get("/news/", "zh-hant")

    assert response["Content-Length"] == str(len(response.content))


def test_it_varies_the_page_on_cookie_and_language() -> None:
    vary = get("/news/", "zh-hant")["Vary"]

    assert "Cookie" in vary
    assert "Accept-Language" in vary


def test_it_leaves_the_admin_untouched() -> None:
    response = get("/admin/pages/", "zh-hant")

    assert response.content.decode() == PAGE
    assert not response.has_header("Vary")


def test_it_leaves_json_untouched() -> None:
    data = {"text": "为人民服务"}

    def json_view(request: HttpRequest) -> JsonResponse:
        return JsonResponse(data)

    response = get("/news.json", "zh-hant", json_view)

    assert json.loads(response.content) == data


def test_it_converts_a_missing_page_and_leaves_server_errors_untouched() -> None:
    # the site's 404 carries its header and footer: in the reader's script too
    def missing_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(PAGE, status=404)

    def failing_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(PAGE, status=500)

    missing = get("/missing/", "zh-hant", missing_view).content.decode()
    assert "為人民服務" in missing
    assert get("/failing/", "zh-hant", failing_view).content.decode() == PAGE


def test_it_leaves_streaming_responses_untouched() -> None:
    def streaming_view(request: HttpRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(iter([PAGE]))

    response = serve("/news/", "zh-hant", streaming_view)

    assert isinstance(response, StreamingHttpResponse)
    assert b"".join(response.streaming_content).decode() == PAGE  # type: ignore[arg-type]


def cached_pages() -> int:
    return len(getattr(cache, "_cache", {}))


def test_a_public_page_is_converted_once_and_kept_in_the_cache() -> None:
    get("/", "zh-hant")
    assert cached_pages() == 1


def test_a_private_page_is_converted_but_not_kept() -> None:
    def private_view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(PAGE)
        response["Cache-Control"] = "max-age=0, no-cache, no-store, private"
        return response

    assert "為人民服務" in get("/", "zh-hant", private_view).content.decode()
    assert cached_pages() == 0


def test_a_page_with_the_visitors_csrf_token_is_not_kept() -> None:
    def form_view(request: HttpRequest) -> HttpResponse:
        from django.middleware.csrf import get_token

        return HttpResponse(PAGE + get_token(request))

    assert "為人民服務" in get("/", "zh-hant", form_view).content.decode()
    assert cached_pages() == 0


def test_it_marks_chinese_content_on_an_english_page_as_chinese() -> None:
    body = get("/news/", "en").content.decode()

    assert '<p><span lang="zh-Hans">为人民服务,机关</span></p>' in body


def test_it_leaves_chinese_pages_unmarked() -> None:
    assert "lang=" not in get("/news/", "zh-hans").content.decode()


def test_it_marks_chinese_text_but_not_markup_scripts_or_titles() -> None:
    from text.middleware import mark_chinese

    html = (
        '<title>三服务 · Sanfu</title><script>var a = "中文";</script>'
        '<a title="水利" href="/x/">Water 水利 2007年3月28日 ok</a>'
        '<select><option value="">Other</option><option value="1">水资源</option>'
        "</select><textarea>文本</textarea><!-- 注释 -->后"
    )

    assert mark_chinese(html) == (
        '<title>三服务 · Sanfu</title><script>var a = "中文";</script>'
        '<a title="水利" href="/x/">Water <span lang="zh-Hans">水利 2007年3月28日'
        "</span> ok</a>"
        '<select><option value="">Other</option><option value="1" lang="zh-Hans">'
        "水资源</option></select><textarea>文本</textarea><!-- 注释 -->"
        '<span lang="zh-Hans">后</span>'
    )
