"""Walking the URL configuration and naming what a response means.

The authorization matrix (``authz_matrix.py``) says, for every URL the project serves
and every role, what the response must be; this module finds every URL in the running
configuration and classifies responses into those outcomes.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The apps of the project: a URL belongs to them when its view or its model does.
PROJECT_APPS = frozenset(settings.SANFU_APPS)

# Where the project's own URL trees are mounted (sanfu/urls.py), and the admin screens
# it mounts through a Wagtail decorator that hides the view's module.
PROJECT_MOUNTS = (
    "demands/",
    "column/",
    "ledgers/",
    "evaluation/",
    "api/",
    "open311/",
    "admin/audit/",
    "admin/reports/site-history/",
)

ROLES = (
    "anonymous",
    "submitter",
    "liaison_a",
    "liaison_b",
    "head_a",
    "clerk",
    "editor",
    "director",
    "leader",
    "superuser",
)

# Outcomes
OK = "ok"  # 2xx
MOVED = "moved"  # a redirect that is not a refusal (e.g. on to the next step)
INVALID = "invalid"  # 400 or 422: the role may ask, but the request was empty
UNAUTHORISED = "401"  # the API without a valid token
LOGIN = "login"  # 302 to the sign-in page
DENIED = "403"
NOT_FOUND = "404"
HOME = "home"  # Wagtail's refusal: 302 to the dashboard with an error message
NO_GET = "405"  # the URL takes POST only
REFUSALS = frozenset({LOGIN, DENIED, NOT_FOUND, HOME, UNAUTHORISED})


@dataclass(frozen=True)
class Url:
    route: str
    name: str  # "namespace:name", or the route when the pattern has none
    pattern: URLPattern

    @property
    def params(self) -> list[str]:
        return list(self.pattern.pattern.regex.groupindex)

    @property
    def view(self) -> Any:
        return self.pattern.callback

    @property
    def model(self) -> Any:
        model = getattr(self.view, "view_initkwargs", {}).get("model")
        if model is None:
            model = getattr(getattr(self.view, "view_class", None), "model", None)
        return model if isinstance(model, type) else None

    @property
    def is_project(self) -> bool:
        if self.route.startswith(PROJECT_MOUNTS):
            return True
        if self.model is not None:
            return bool(self.model._meta.app_label in PROJECT_APPS)
        module = getattr(self.view, "__module__", "") or ""
        return module.split(".")[0] in PROJECT_APPS


def walk(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Url]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from walk(entry, route, inner)
        elif entry.name:
            yield Url(route, ":".join(filter(None, [namespace, entry.name])), entry)
        else:
            yield Url(route, route, entry)


def outcome(response: Any) -> str:
    status = response.status_code
    if status in (301, 302):
        target = response["Location"]
        if target.startswith(reverse("wagtailadmin_login")):
            return LOGIN
        if target == reverse("wagtailadmin_home"):
            return HOME
        return MOVED
    if status == 401:
        return UNAUTHORISED
    if status == 403:
        return DENIED
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return NO_GET
    if status in (400, 422):
        return INVALID
    if status < 300:
        return OK
    if status < 500:
        return str(status)
    raise AssertionError(f"server error {status}")
