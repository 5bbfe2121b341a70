"""Public views of briefings: a campaign's list, and the downloads.

A download is rendered at most once per revision (``exports.cached_export``); a render
is rate-limited per client and, for one file, done by one request at a time, so that
asking for files is no cheap way to keep the server busy."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from publicity.briefings import exports
from publicity.briefings.access import briefings_for_user, get_briefing_to_download
from publicity.page_cache import cached_page
from sanfu.lib.digits import parse_key
from sanfu.lib.ratelimit import client_key, hit

PAGE_SIZE = 20
RENDERS_PER_MINUTE = 6
RENDER_SECONDS = 120


@cached_page(query_keys=("before",))
def briefing_list(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=campaign_slug)
    briefings = (
        briefings_for_user(request.user)
        .filter(campaign=campaign, issue_number__isnull=False)
        .order_by("-issue_number")
    )
    before = request.GET.get("before", "")
    if (number := parse_key(before, max_digits=9)) is not None:
        briefings = briefings.filter(issue_number__lt=number)
    rows = list(briefings[: PAGE_SIZE + 1])
    next_url = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        next_url = f"?before={rows[-1].issue_number}"
    column = getattr(campaign, "column", None)
    context = {
        "campaign": campaign,
        "column": column if column is not None and column.live else None,
        "briefings": rows,
        "next_url": next_url,
    }
    return render(request, "publicity/briefing_list.html", context)


def briefing_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in exports.KINDS:
        raise Http404
    draft = request.GET.get("draft") == "1"
    page = get_briefing_to_download(request.user, pk, draft=draft)
    data = exports.cached_export(page, kind, draft=draft, may_render=False)
    if data is None:
        if not hit(
            "briefing-export", client_key(request), limit=RENDERS_PER_MINUTE, window=60
        ):
            return HttpResponse(
                _("Too many downloads; try again in a minute."),
                status=429,
                headers={"Retry-After": "60"},
            )
        lock = f"briefing-render:{exports.export_key(page, kind, draft=draft)}"
        if not cache.add(lock, 1, timeout=RENDER_SECONDS):
            return HttpResponse(
                _("This file is being prepared; try again in a moment."),
                status=503,
                headers={"Retry-After": "10"},
            )
        try:
            data = exports.cached_export(page, kind, draft=draft, may_render=True)
        finally:
            cache.delete(lock)
    assert data is not None
    content_type, extension = exports.KINDS[kind]
    number = page.issue_number or "draft"
    name = f"briefing-{number}{'-wallboard' if kind == exports.WALL_BOARD else ''}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = str(
        content_disposition_header(as_attachment=True, filename=f"{name}.{extension}")
    )
    response["Cache-Control"] = "private, no-store" if draft else "public, max-age=300"
    return response
