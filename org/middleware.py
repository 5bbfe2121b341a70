"""Admin pages wait for the second step of sign-in when the person turned it on."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from org import two_step


class TwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "totp_secret", "")
            and request.path.startswith("/admin/")
            and not two_step.passed(request)
        ):
            verify = reverse("two_step_verify")
            if request.path not in (verify, reverse("wagtailadmin_logout")):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{verify}?{query}")
        return self.get_response(request)
