"""Bearer-token authentication for staff clients, and the public rate limit."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from api.access import valid_tokens
from api.models import ApiToken, hash_key
from core.ratelimit import client_key, hit
from org.models import Person

# last_used_at is a hint for the admin, not an audit record: writing it once a
# minute spares a write per request (SQLite serialises writers).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

DEFAULT_LIMITS = {
    # (requests, window in seconds) per client address
    "submit": (20, 60),
    "lookup": (60, 60),
    # (requests, window in seconds) per Open311 api_key, wherever it is used from
    "open311_key": (60, 60),
}


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class ReadOnlyToken(PermissionDenied):
    """A token of the ``read`` scope was sent with a request that changes things."""

    message = _("This token may only read.")


def token_for_key(key: str) -> ApiToken | None:
    """The token a key names if it is valid now (not revoked, not expired, its
    person active and holding a role that may hold a token), else None. Its
    ``user`` is the person it acts as; ``may_act`` says whether it may do more than
    read. Every caller that accepts a key asks this."""
    if not key:
        return None
    token = (
        valid_tokens()
        .select_related("user")
        .filter(key_hash=hash_key(key.strip()))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def authenticate_key(key: str) -> Person | None:
    """The person a valid key acts as, or None (see ``token_for_key``)."""
    token = token_for_key(key)
    return token.user if token is not None else None


class TokenAuth(HttpBearer):
    """The bearer token; with ``check``, then whether its person may make the request
    at all (raising Http404 or PermissionDenied). Ninja authenticates before it reads
    the body, so a caller without the right is refused before being told what is
    wrong with what they sent."""

    def __init__(self, check: Callable[[HttpRequest, Person], None] | None = None):
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        found = token_for_key(token)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and not found.may_act:
            raise ReadOnlyToken
        user = found.user
        request.user = user
        if self.check is not None:
            self.check(request, user)
        return user


def rate_limit(request: HttpRequest, scope: str, *, key: str = "") -> None:
    """Count a request against its budget, the client's address's or ``key``'s;
    raise when over."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "SANFU_API_RATE_LIMITS", {})}
    count, window = limits[scope]
    if not hit(f"api:{scope}", key or client_key(request), limit=count, window=window):
        raise RateLimited(window)
