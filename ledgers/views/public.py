"""The public pages of the ledgers (政務公開): published problems and their
rectification, published practical deeds and their ratings. Only rows the office
published; people's names masked; lists paged by key with a fixed number of
queries."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from core import ratelimit
from core.digits import parse_key
from core.errors import Conflict
from ledgers import access
from ledgers.actions.deeds import rate_deed, rater_key
from ledgers.forms import RateForm
from ledgers.models import (
    DeedRating,
    DeedScore,
    ProblemStatus,
    RectificationMeasure,
)
from plans.models import PlanStatus, WorkPlanVersion

PAGE_SIZE = 30
RATER_COOKIE = "ledgers_rater"
RATER_SALT = "ledgers.rater"
# ratings a client may post per window (seconds): the simple anti-abuse check
RATE_LIMIT = (10, 600)


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.live(), slug=slug)


def _page(request: HttpRequest, rows: QuerySet[Any]) -> tuple[list[Any], str]:
    """A page of ``rows`` by descending id after the ``after`` key."""
    after = request.GET.get("after", "")
    if after:
        key = parse_key(after)
        if key is None:
            raise Http404
        rows = rows.filter(pk__lt=key)
    page = list(rows.order_by("-pk")[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return page, str(page[-1].pk) if more else ""


def disclosure(request: HttpRequest, campaign: str) -> HttpResponse:
    """Published problems, their measures and where rectification stands."""
    the_campaign = _campaign(campaign)
    problems = (
        access.published_problems()
        .filter(campaign=the_campaign)
        .select_related("unit", "main_task")
        .prefetch_related(
            Prefetch(
                "measures",
                RectificationMeasure.objects.select_related("owner").order_by("pk"),
            )
        )
    )
    page, next_key = _page(request, problems)
    by_unit = (
        access.published_problems()
        .filter(campaign=the_campaign)
        .values("unit__name")
        .order_by("unit__name")
        .annotate(
            total=Count("pk"), closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED))
        )
    )
    is_first = not request.GET.get("after")
    work_plan = (
        WorkPlanVersion.objects.filter(
            campaign=the_campaign, status=PlanStatus.APPROVED
        )
        .order_by("-number")
        .first()
        if is_first
        else None
    )
    return render(
        request,
        "ledgers/public/disclosure.html",
        {
            "campaign": the_campaign,
            "work_plan": work_plan,
            "problems": page,
            "by_unit": list(by_unit) if not request.GET.get("after") else [],
            "next_key": next_key,
            "is_first": not request.GET.get("after"),
        },
    )


def _score_count(score: int) -> Subquery:
    return Subquery(
        DeedRating.objects.filter(deed=OuterRef("pk"), score=score)
        .order_by()
        .values("deed")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def deeds(request: HttpRequest, campaign: str) -> HttpResponse:
    the_campaign = _campaign(campaign)
    rows = (
        access.published_deeds()
        .filter(campaign=the_campaign)
        .select_related("unit")
        .annotate(
            satisfied=_score_count(DeedScore.SATISFIED),
            basically=_score_count(DeedScore.BASICALLY_SATISFIED),
            unsatisfied=_score_count(DeedScore.UNSATISFIED),
        )
    )
    page, next_key = _page(request, rows)
    return render(
        request,
        "ledgers/public/deeds.html",
        {
            "campaign": the_campaign,
            "deeds": page,
            "next_key": next_key,
            "is_first": not request.GET.get("after"),
            # the choices written once, not a form widget rendered per deed
            "score_choices": [
                (value, str(label)) for value, label in DeedScore.choices
            ],
        },
    )


def _client_id(request: HttpRequest) -> tuple[str, bool]:
    """The rater's id from the signed cookie, or a new one (and whether it is)."""
    value = request.get_signed_cookie(RATER_COOKIE, default="", salt=RATER_SALT)
    if value:
        return value, False
    return secrets.token_urlsafe(16), True


@require_POST
def rate(request: HttpRequest, campaign: str, pk: int) -> HttpResponse:
    the_campaign = _campaign(campaign)
    deed = get_object_or_404(access.published_deeds(), campaign=the_campaign, pk=pk)
    limit, window = getattr(settings, "SANFU_LEDGERS_RATE_LIMIT", RATE_LIMIT)
    address = ratelimit.client_key(request)
    if not ratelimit.hit("ledgers-rate", address, limit=limit, window=window):
        return render(request, "demands/public/rate_limited.html", status=429)
    form = RateForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a rating."), status=400)
    client_id, new = _client_id(request)
    rater = rater_key(deed.pk, client_id, address)
    try:
        rate_deed(deed, rater=rater, score=form.cleaned_data["score"])
    except Conflict as conflict:
        messages.error(request, str(conflict))
    except PermissionDenied as error:
        raise Http404 from error
    else:
        messages.success(request, _("Thank you for your rating."))
    response = redirect("ledgers:deeds", campaign=the_campaign.slug)
    if new:
        response.set_signed_cookie(
            RATER_COOKIE,
            client_id,
            salt=RATER_SALT,
            max_age=60 * 60 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
