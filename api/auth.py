"""Bearer-token authentication for staff clients, and the public rate limit."""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken, hash_key
from sanfu.lib.ratelimit import client_key, hit

# last_used_at is a hint for the admin, not an audit record: writing it once a
# minute spares a write per request (SQLite serialises writers).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

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


def authenticate_key(key: str) -> Any:
    """The active user a key acts as, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_key(key.strip()))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    """The bearer token; with ``check``, then whether its person may make the request
    at all (raising Http404 or PermissionDenied). Ninja authenticates before it reads
    the body, so a caller without the right is refused before being told what is
    wrong with what they sent."""

    def __init__(self, check: Callable[[HttpRequest, Any], None] | None = None):
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_key(token)
        if user is not None:
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
