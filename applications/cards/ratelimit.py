"""The public card checks' rate limit per client IP (the counter is portal.ratelimit's).

The limit guards card numbers and share codes against enumeration, so it fails closed: when
the cache cannot count (down, refused, hung past its timeout) checks are refused with a
polite "try again in a few minutes" page or API error, never a 500 and never unlimited.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.client import client_ip
from portal.ratelimit import RateLimitUnavailable, rate_limit_hit
from portal.security_log import security_event


@dataclass(frozen=True)
class CheckRefusal:
    """Why a public check was refused: the HTTP status, the API's code and the words shown."""

    status: int
    code: str
    title: Promise
    message: Promise


TOO_MANY_CHECKS = CheckRefusal(
    status=429,
    code="throttled",
    title=_("Too many checks"),
    message=_("You have checked too many cards in a short time. Wait 10 minutes and try again."),
)
CHECKS_UNAVAILABLE = CheckRefusal(
    status=503,
    code="checks_unavailable",
    title=_("Card checks are paused"),
    message=_("Card checks are not available for a moment. Please try again in a few minutes."),
)


def rate_limited(*, scope: str, ip_address: str | None, limit: int | None = None, window: int | None = None) -> bool:
    """Count one attempt; True when this IP has used up its attempts in the current window.

    Raises ``RateLimitUnavailable`` when the cache cannot count.
    """
    return rate_limit_hit(
        key=f"{scope}:{ip_address or 'unknown'}",
        limit=limit or settings.CARD_VERIFY_RATE_LIMIT,
        window=window or settings.CARD_VERIFY_RATE_WINDOW,
    )


def card_check_refusal(request: HttpRequest, *, scope: str = "verify") -> CheckRefusal | None:
    """Count one public check by this client: the refusal to answer with, or None to go on.

    The one place the page, the QR scan page and the API decide, so that they share one
    counter and fail the same way.
    """
    try:
        if rate_limited(scope=scope, ip_address=client_ip(request)):
            return TOO_MANY_CHECKS
    except RateLimitUnavailable as error:
        security_event("card_check_limit_unavailable", request=request, level=logging.WARNING, error=str(error))
        return CHECKS_UNAVAILABLE
    return None
