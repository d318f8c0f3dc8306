"""A fixed-window counter on the shared cache (Redis in production): the one rate limiter.

Public card checks (applications.cards.ratelimit) and account e-mails
(portal.accounts.services) count through ``rate_limit_hit``.
"""

from django.core.cache import cache


class RateLimitUnavailable(Exception):
    """The cache could not count (down, refusing connections, or hung past its timeout)."""


def rate_limit_hit(*, key: str, limit: int, window: int) -> bool:
    """Count one use of ``key``; True once more than ``limit`` uses fall in the current window.

    ``cache.add`` creates the counter with its expiry only if absent, and ``incr`` is atomic
    in Redis, so concurrent requests from several servers are counted exactly. Any cache
    failure is raised as ``RateLimitUnavailable`` (whatever the backend's own exception
    types): each caller decides whether to fail open or closed, and none has to know
    redis-py's exceptions.
    """
    key = f"ratelimit:{key}"
    try:
        if cache.add(key, 1, timeout=window):
            return limit < 1
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the first of a new window
            cache.add(key, 1, timeout=window)
            return limit < 1
    except Exception as error:  # noqa: BLE001 - every backend raises its own kinds
        raise RateLimitUnavailable(type(error).__name__) from error
    return count > limit
