"""A fixed-window rate limit on the shared cache (Redis in production), per client IP."""

from django.conf import settings
from django.core.cache import cache


def rate_limited(*, scope: str, ip_address: str | None, limit: int | None = None, window: int | None = None) -> bool:
    """Count one attempt; True when this IP has used up its attempts in the current window.

    ``cache.add`` creates the counter with its expiry only if absent, and ``incr`` is atomic
    in Redis, so concurrent requests from several servers are counted exactly.
    """
    limit = limit or settings.CARD_VERIFY_RATE_LIMIT
    window = window or settings.CARD_VERIFY_RATE_WINDOW
    key = f"ratelimit:{scope}:{ip_address or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
