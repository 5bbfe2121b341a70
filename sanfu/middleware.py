"""Project-wide middleware: the Content-Security-Policy header and the choice of
database for a request's reads (sanfu.db_router)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.csp import new_nonce, with_nonce
from sanfu import db_router

PRIMARY_COOKIE = "sanfu_primary"
SAFE_METHODS = ("GET", "HEAD")


class ContentSecurityPolicyMiddleware:
    """Sends ``CONTENT_SECURITY_POLICY`` (``CONTENT_SECURITY_POLICY_ADMIN`` in the
    back office; report-only when ``CONTENT_SECURITY_POLICY_REPORT_ONLY``) unless
    the view set its own.

    Every request gets a fresh nonce (``request.csp_nonce``, ``{{ csp_nonce }}`` in
    templates); the public policy's ``script-src`` allows the scripts that carry it,
    so a script injected into a page does not run. The back office's policy has no
    nonce: Wagtail's own templates write inline scripts without one, and a nonce
    would make browsers ignore the ``'unsafe-inline'`` they need."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = new_nonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            policy = settings.CONTENT_SECURITY_POLICY_ADMIN
        else:
            policy = with_nonce(settings.CONTENT_SECURITY_POLICY, nonce)
        if policy:
            header = (
                "Content-Security-Policy-Report-Only"
                if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
                else "Content-Security-Policy"
            )
            response.headers.setdefault(header, policy)
        return response


class ReplicaMiddleware:
    """Lets the views named in ``DATABASE_REPLICA_VIEWS`` read from the replica,
    and keeps a browser on the primary for a few seconds after it wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state, token = db_router.begin_request()
        try:
            response = self.get_response(request)
        finally:
            db_router.end_request(token)
        if state.wrote and db_router.replica_configured():
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        match = request.resolver_match
        state = db_router.current()
        if (
            state is not None
            and match is not None
            and match.view_name in settings.DATABASE_REPLICA_VIEWS
            and request.method in SAFE_METHODS
            and PRIMARY_COOKIE not in request.COOKIES
        ):
            state.replica_allowed = True


class PublicNotFoundMiddleware:
    """A missing public page is the site's own 404 also under DEBUG (``make run``),
    where Django would show its technical page: the development site is what people
    look at and walk through. The back office and the API keep Django's page."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        from django.http import Http404

        from sanfu.views import page_not_found

        if not settings.DEBUG or not isinstance(exception, Http404):
            return None
        if request.path_info.startswith(("/admin/", "/api/", "/open311/")):
            return None
        return page_not_found(request, exception)
