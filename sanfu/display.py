"""长辈模式: the public site in larger type, higher contrast and bigger targets, with a
shorter demand form, as the MIIT 互联网网站适老化通用设计规范 asks of public-service
sites. A reader turns it on or off with the switch in the header; the choice is kept
in a cookie for a year, as the language switch keeps its own (django.views.i18n)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.display import COOKIE, ELDER


@require_POST
def set_display_mode(request: HttpRequest) -> HttpResponseBase:
    """Turn 长辈模式 on or off and go back to the page the switch was on."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if request.POST.get("mode") == ELDER:
        response.set_cookie(
            COOKIE,
            ELDER,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
