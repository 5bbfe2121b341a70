"""Public views of briefings: a campaign's list, and the downloads.

A download never renders: the worker makes each file once per version, language and
script (``publicity.briefings.files``), so asking for files is no cheap way to keep
the server busy, and no request waits for a render."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from campaigns.models import Campaign
from core.digits import parse_key
from core.private_files import serve_private
from org.actors import signed_in
from publicity.briefings import exports, files
from publicity.briefings.access import briefings_for_user, get_briefing_to_download
from publicity.briefings.models import BriefingFile, FileState
from publicity.page_cache import cached_page

PAGE_SIZE = 20
# seconds between two looks of the "being prepared" page (and its Retry-After)
RETRY_AFTER = 2
KIND_LABELS = {
    exports.DOCX: gettext_lazy("Briefing (.docx)"),
    exports.PDF: gettext_lazy("Briefing (PDF)"),
    exports.WALL_BOARD: gettext_lazy("Wall board (A3 PDF)"),
}


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


def _asked(request: HttpRequest, pk: int, kind: str) -> tuple[BriefingFile, bool]:
    if kind not in exports.KINDS:
        raise Http404
    draft = request.GET.get("draft") == "1"
    page = get_briefing_to_download(request.user, pk, draft=draft)
    return files.ask_for_file(page, kind, draft=draft, actor=signed_in(request)), draft


@require_safe
def briefing_export(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """The file when the worker has made it; until then a page that says it is
    being prepared and follows it (``briefing_export_status``)."""
    row, draft = _asked(request, pk, kind)
    if row.state != FileState.READY:
        waiting = render(
            request,
            "publicity/briefing_preparing.html",
            {
                "row": row,
                "kind_label": KIND_LABELS[kind],
                "status_url": reverse(
                    "publicity:briefing_export_status", args=[pk, kind]
                )
                + ("?draft=1" if draft else ""),
                "retry_after": RETRY_AFTER,
            },
            status=202,
        )
        waiting["Retry-After"] = str(RETRY_AFTER)
        waiting["Cache-Control"] = "no-store"
        return waiting
    page = row.briefing
    number = page.issue_number or "draft"
    name = f"briefing-{number}{'-wallboard' if kind == exports.WALL_BOARD else ''}"
    response = serve_private(
        request,
        row.file,
        filename=f"{name}.{row.extension}",
        content_type=exports.KINDS[kind][0],
    )
    if not draft:
        # what anyone may read may sit in a shared cache; a draft never does
        response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def briefing_export_status(request: HttpRequest, pk: int, kind: str) -> JsonResponse:
    """What the "being prepared" page polls."""
    row, _draft = _asked(request, pk, kind)
    response = JsonResponse(
        {
            "state": row.state,
            "label": row.get_state_display(),
            "ready": row.state == FileState.READY,
        }
    )
    response["Cache-Control"] = "no-store"
    return response
