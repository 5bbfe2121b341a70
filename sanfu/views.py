"""The project's own error pages."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap

from sanfu.sitemaps import SITEMAPS


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE as a refused request
    (400); it is a body too large, and the sender should be told so (413)."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        context = {"limit_mib": limit // (1024 * 1024)}
        return render(request, "sanfu/too_large.html", context, status=413)
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's page for an error of ours. Rendered without the request (no
    context processor, no database): whatever failed may fail again."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        return defaults.server_error(request, template_name="")


# The pages a search engine may crawl are the public site; the back office, the
# API, and the pages that follow one person's demand are not for an index.
_ROBOTS_DISALLOW = ("/admin/", "/api/", "/open311/", "/demands/track/", "/i18n/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in _ROBOTS_DISALLOW),
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = sitemap(request, sitemaps=SITEMAPS)
    return response
