"""The public side of demands: file one, follow it with its number and code, rate the
reply, and read the replied demands and the monthly figures.

The query code never travels in a URL (query strings end up in logs): the lookup is a
POST, and the page that follows reads the demand it authorised from the session.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import ModelLogEntry

from campaigns.models import Campaign, CampaignStatus
from core import ratelimit
from core.digits import is_digits
from core.errors import Conflict
from core.keyset import format_cursor, parse_cursor
from core.private_files import serve_private
from demands import access, actions
from demands.forms import DemandSubmitForm, RatingForm, TrackForm
from demands.models import COUNTED_RATINGS, Demand, DemandStatus, Rating
from org.actors import signed_in
from text.personal import mask_personal_data

# (requests, seconds) per client; settings.SANFU_DEMANDS may override either.
SUBMIT_RATE = (5, 10 * 60)
TRACK_RATE = (20, 10 * 60)
PAGE_SIZE = 20

RECEIPT_KEY = "demands.receipt"
TRACKED_KEY = "demands.tracked"
PUBLISHED_STATUSES = (DemandStatus.REPLIED, DemandStatus.CLOSED)
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)
# The steps a submitter is told about, in their words; the office's own steps
# (supervision, notices, extension requests) stay in the back office.
PUBLIC_HISTORY = {
    "sanfu.demand.submit": gettext_lazy("Received"),
    "sanfu.demand.dispatch": gettext_lazy("Passed to the handling unit"),
    "sanfu.demand.accept": gettext_lazy("Accepted by the handling unit"),
    "sanfu.demand.merge": gettext_lazy("Handled together with a demand like it"),
    "sanfu.demand.split": gettext_lazy("Handled on its own again"),
    "sanfu.demand.return": gettext_lazy("Returned to the office to be passed on"),
    "sanfu.demand.reply": gettext_lazy("Replied"),
    "sanfu.demand.rate": gettext_lazy("Rated"),
    "sanfu.demand.reopen": gettext_lazy("Reopened after an unsatisfied rating"),
    "sanfu.demand.close_unrated": gettext_lazy("Closed without a rating"),
}


def _rate(name: str, default: tuple[int, int]) -> tuple[int, int]:
    limit, window = settings.SANFU_DEMANDS.get(name, default)
    return int(limit), int(window)


def _over_limit(request: HttpRequest, scope: str, rate: tuple[int, int]) -> bool:
    limit, window = rate
    client = ratelimit.client_key(request)
    return not ratelimit.hit(scope, client, limit=limit, window=window)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "demands/public/rate_limited.html", status=429)


def _open_campaigns() -> QuerySet[Campaign]:
    """Campaigns taking new demands: under way, not drafts nor closed ones."""
    return Campaign.objects.filter(status=CampaignStatus.ACTIVE)


def choose_campaign(request: HttpRequest) -> HttpResponse:
    campaigns = list(_open_campaigns().order_by("-starts_on", "name")[:50])
    if len(campaigns) == 1:
        return redirect("demands:submit", campaign_slug=campaigns[0].slug)
    return render(
        request,
        "demands/public/choose_campaign.html",
        {"campaigns": campaigns, "nav": "submit"},
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    campaign = get_object_or_404(_open_campaigns(), slug=campaign_slug)
    if request.method != "POST":
        form = DemandSubmitForm(campaign=campaign)
    elif _over_limit(
        request, "demands.submit", _rate("PUBLIC_SUBMIT_RATE", SUBMIT_RATE)
    ):
        return _too_many(request)
    else:
        form = DemandSubmitForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            demand, code = actions.submit_demand(
                campaign, **form.cleaned_data, actor=signed_in(request)
            )
            request.session[RECEIPT_KEY] = {
                "tracking_no": demand.tracking_no,
                "query_code": code,
            }
            return redirect("demands:thanks")
    context = {"campaign": campaign, "form": form, "nav": "submit"}
    return render(request, "demands/public/submit.html", context)


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    # Shown once: a reload or the back button does not show the code again.
    receipt = request.session.pop(RECEIPT_KEY, None)
    return render(
        request, "demands/public/thanks.html", {"receipt": receipt, "nav": "submit"}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = TrackForm()
    elif _over_limit(request, "demands.track", _rate("PUBLIC_TRACK_RATE", TRACK_RATE)):
        return _too_many(request)
    else:
        form = TrackForm(request.POST)
        if form.is_valid():
            try:
                demand = access.get_demand_for_public(
                    form.cleaned_data["tracking_no"], form.cleaned_data["query_code"]
                )
            except Http404:
                form.add_error(
                    None, _("No demand matches this tracking number and query code.")
                )
            else:
                request.session.cycle_key()
                request.session[TRACKED_KEY] = demand.pk
                return redirect("demands:status")
    return render(request, "demands/public/track.html", {"form": form, "nav": "track"})


def _tracked_demand(request: HttpRequest) -> Demand | None:
    """The demand this browser proved it may follow (number and code, above)."""
    pk = request.session.get(TRACKED_KEY)
    if not isinstance(pk, int):
        return None
    return (
        Demand.objects.select_related("category", "unit", "area__district")
        .filter(pk=pk)
        .first()
    )


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    demand = _tracked_demand(request)
    if demand is None:
        return redirect("demands:track")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_demand(demand, rating=form.cleaned_data["rating"], actor=None)
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("demands:status")
    context = {
        "demand": demand,
        # what the requester filed, back to them; the people it names masked, as
        # on every page the public reads (the code may be shared or overseen)
        "filed_content": mask_personal_data(demand.content),
        "filed_location": mask_personal_data(demand.location),
        "attachments": demand.attachments.order_by("pk"),
        "history": _public_history(demand),
        "rating_form": form if demand.status == DemandStatus.REPLIED else None,
        "nav": "track",
    }
    return render(request, "demands/public/status.html", context)


@never_cache
@require_http_methods(["GET"])
def tracked_attachment(request: HttpRequest, attachment_pk: int) -> Any:
    """A file the requester attached, to the browser that proved the demand's
    number and code; to anyone else there is no such file."""
    demand = _tracked_demand(request)
    if demand is None:
        raise Http404
    attachment = get_object_or_404(demand.attachments, pk=attachment_pk)
    return serve_private(
        request,
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@never_cache
@require_http_methods(["GET"])
def my_data(request: HttpRequest) -> HttpResponse:
    """The personal data the platform holds on the tracked demand, as a JSON file
    for its submitter (number and code proven in this browser's session)."""
    demand = _tracked_demand(request)
    if demand is None:
        return redirect("demands:track")
    held = {
        "tracking_no": demand.tracking_no,
        "submitted_at": demand.submitted_at.isoformat(),
        "kind": demand.kind,
        "title": demand.title,
        "content": demand.content,
        "location": demand.location,
        "name": demand.submitter_name,
        "phone": demand.submitter_phone,
        "attachments": list(demand.attachments.values_list("original_name", flat=True)),
        "status": demand.status,
        "reply": demand.reply,
        "rating": demand.rating,
        "personal_data_erased_at": (
            demand.personal_data_erased_at.isoformat()
            if demand.personal_data_erased_at
            else None
        ),
        "retention_ends": (
            ends.isoformat() if (ends := actions.retention_ends(demand)) else None
        ),
    }
    actions.record_data_request(demand)
    response = JsonResponse(held, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="demand-{demand.tracking_no}.json"'
    )
    return response


def _public_history(demand: Demand) -> list[dict[str, Any]]:
    """What happened and when, without who did it or any note they left."""
    entries = (
        ModelLogEntry.objects.for_instance(demand)
        .filter(action__in=PUBLIC_HISTORY)
        .order_by("timestamp", "pk")
        .values_list("action", "timestamp")
    )
    return [
        {"action": action, "label": PUBLIC_HISTORY[action], "timestamp": timestamp}
        for action, timestamp in entries
    ]


def _published() -> QuerySet[Demand]:
    return Demand.objects.filter(
        status__in=PUBLISHED_STATUSES,
        allow_publish=True,
        replied_at__isnull=False,
        campaign__status__in=[CampaignStatus.ACTIVE, CampaignStatus.CLOSED],
    )


def replied(request: HttpRequest) -> HttpResponse:
    demands = (
        _published()
        .select_related("category", "unit")
        .only(
            "id",
            "tracking_no",
            "title",
            "kind",
            "reply",
            "submitted_at",
            "replied_at",
            "status",
            "submitter_name",
            "category__name",
            "unit__name",
        )
        .order_by("-replied_at", "-id")
    )
    before = request.GET.get("before")
    if before:
        cursor = parse_cursor(before)
        if cursor is None:
            raise Http404
        moment, pk = cursor
        demands = demands.filter(
            Q(replied_at__lt=moment) | Q(replied_at=moment, id__lt=pk)
        )
    page = list(demands[: PAGE_SIZE + 1])
    next_cursor = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        last = page[-1]
        assert last.replied_at is not None
        next_cursor = format_cursor(last.replied_at, last.pk)
    context = {
        "demands": page,
        "next_cursor": next_cursor,
        "is_first": not before,
        "nav": "replied",
    }
    return render(request, "demands/public/replied.html", context)


FIGURES_STATUSES = [CampaignStatus.ACTIVE, CampaignStatus.CLOSED]


def _by_month(field: str, year: int, **counts: Any) -> dict[int, dict[str, int]]:
    """One aggregate query: ``counts`` per month of ``year`` by the date ``field``."""
    rows = (
        Demand.objects.filter(
            **{f"{field}__year": year},
            campaign__status__in=FIGURES_STATUSES,
        )
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(**counts)
        .order_by("month")
    )
    return {row.pop("month").month: row for row in rows}


def _figures_years() -> range:
    """The years the figures cover: from the start of the first campaign on the
    record to this year (no page, and no link, to a year without one)."""
    this_year = timezone.localdate().year
    first = Campaign.objects.filter(status__in=FIGURES_STATUSES).aggregate(
        first=Min("starts_on")
    )["first"]
    return range(min(first.year, this_year) if first else this_year, this_year + 1)


def figures(request: HttpRequest) -> HttpResponse:
    years = _figures_years()
    raw_year = request.GET.get("year", "")
    if raw_year and not (is_digits(raw_year) and int(raw_year) in years):
        raise Http404
    year = int(raw_year) if raw_year else years[-1]
    received = _by_month("submitted_at", year, n=Count("id"))
    replied_ = _by_month("replied_at", year, n=Count("id"))
    closed = _by_month("closed_at", year, n=Count("id"))
    rated = _by_month(
        "rated_at",
        year,
        rated=Count("id", filter=Q(rating__in=COUNTED_RATINGS)),
        satisfied=Count("id", filter=Q(rating__in=SATISFIED)),
    )
    months = []
    for month in range(1, 13):
        ratings = rated.get(month, {})
        months.append(
            {
                "month": datetime.date(year, month, 1),
                "received": received.get(month, {}).get("n", 0),
                "replied": replied_.get(month, {}).get("n", 0),
                "closed": closed.get(month, {}).get("n", 0),
                "rated": ratings.get("rated", 0),
                "satisfaction": (
                    ratings["satisfied"] / ratings["rated"]
                    if ratings.get("rated")
                    else None
                ),
            }
        )
    context = {
        "year": year,
        "months": months,
        "previous_year": year - 1 if year - 1 in years else None,
        "next_year": year + 1 if year + 1 in years else None,
        "figures_url": reverse("demands:figures"),
        "nav": "figures",
    }
    return render(request, "demands/public/figures.html", context)
