"""Until a person who turned two-step sign-in on has given the code, their session
counts as signed in for the code page and the sign-out only."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from org import two_step


def _waiting_for_code(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "totp_secret", "")
        and not two_step.passed(request)
    )


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


async def _anonymous() -> AnonymousUser:
    return AnonymousUser()


class TwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _waiting_for_code(request):
            return self.get_response(request)
        verify = reverse("two_step_verify")
        if request.path in (verify, reverse("wagtailadmin_logout")):
            return self.get_response(request)
        if request.path.startswith(reverse("wagtailadmin_home")):
            if _wants_json(request):
                message = _("Give the code of two-step sign-in first.")
                body = {"code": "two_step_required", "message": message}
                return JsonResponse(body, status=401)
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{verify}?{query}")
        # Everywhere else the session is someone not signed in: the public pages
        # render as for any visitor and every signed-in view refuses, with no view
        # having to ask (a draft briefing's download was one that did not).
        request.user = AnonymousUser()
        request.auser = _anonymous  # type: ignore[attr-defined]
        return self.get_response(request)
