"""The public side of a survey (/evaluation/surveys/<pk>/): the ballot, answered with
a one-use token (typed, or carried in the QR code's link) or, in an open public
survey, by anyone within the rate limit."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core import ratelimit
from evaluation import access, actions
from evaluation.forms import BallotForm

# ballots (or token attempts) per client address and hour
BALLOT_RATE = (5, 3600)
TOKEN_RATE = (30, 3600)


def _over_limit(request: HttpRequest, survey_pk: int, mode: str) -> bool:
    limit, window = getattr(
        settings, "SANFU_SURVEY_RATES", {"open": BALLOT_RATE, "tokens": TOKEN_RATE}
    )[mode]
    client = ratelimit.client_key(request)
    return not ratelimit.hit(f"survey:{survey_pk}", client, limit=limit, window=window)


@never_cache
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_survey_for_public(pk)
    context: dict[str, Any] = {"survey": found}
    if request.GET.get("done"):
        return render(request, "evaluation/public/thanks.html", context)
    if actions.is_closed(found):
        return render(request, "evaluation/public/closed.html", context)
    if request.method != "POST":
        form = BallotForm(initial={"token": request.GET.get("t", "")}, survey=found)
        return render(
            request, "evaluation/public/ballot.html", {**context, "form": form}
        )
    if _over_limit(request, found.pk, found.mode):
        return render(
            request, "evaluation/public/rate_limited.html", context, status=429
        )
    form = BallotForm(request.POST, survey=found)
    if form.is_valid():
        try:
            actions.submit_ballot(
                found, form.given(), token=form.cleaned_data.get("token", "")
            )
        except ValidationError as error:
            if error.code == "closed":
                return render(
                    request, "evaluation/public/closed.html", context, status=400
                )
            form.add_error("token" if error.code == "token" else None, error)
        else:
            return redirect(f"{request.path}?done=1")
    return render(
        request, "evaluation/public/ballot.html", {**context, "form": form}, status=400
    )
