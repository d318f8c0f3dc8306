"""The public card checks' rate limit per client IP (the counter is portal.ratelimit's)."""

from django.conf import settings

from portal.ratelimit import rate_limit_hit


def rate_limited(*, scope: str, ip_address: str | None, limit: int | None = None, window: int | None = None) -> bool:
    """Count one attempt; True when this IP has used up its attempts in the current window."""
    return rate_limit_hit(
        key=f"{scope}:{ip_address or 'unknown'}",
        limit=limit or settings.CARD_VERIFY_RATE_LIMIT,
        window=window or settings.CARD_VERIFY_RATE_WINDOW,
    )
