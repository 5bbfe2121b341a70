"""A fixed-window rate limit on the default cache (Redis in production, so it holds
across app servers), for public endpoints."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    """The client's address; behind nginx, the one it puts in X-Real-IP."""
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")


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
