"""A fixed-window rate limit on the default cache (Redis in production, so it holds
across app servers), for public endpoints."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    """The client's address. X-Real-IP is believed only from a proxy listed in
    TRUSTED_PROXIES (nginx); from anyone else it is a header they chose, and a new
    value per request would slip past every limit."""
    peer: str = request.META.get("REMOTE_ADDR", "")
    if peer in settings.TRUSTED_PROXIES:
        return request.META.get("HTTP_X_REAL_IP") or peer
    return peer


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request; False once ``limit`` requests were made in this window."""
    slot = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{slot}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit
