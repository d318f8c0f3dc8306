"""The client address of a request: one function, used by every path that records or counts it.

Behind the documented reverse proxy (docs/operations.md) REMOTE_ADDR is the proxy, and the
client is in X-Forwarded-For, which each proxy appends its peer to. With
PORTAL_TRUSTED_PROXY_COUNT = n, the client is the n-th address from the right: the entries
left of it were written by the client and may be forged. With 0 (the default, no proxy)
the header is ignored and REMOTE_ADDR is the client. The audit trail, the security log,
the sign-in lockout (django-axes) and the API throttles (DRF) all call ``client_ip``, so an
attacker cannot pick an address for one of them by sending a header.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the outermost trusted proxy saw it; None without a request."""
    if request is None:
        return None
    meta = request.META  # a DRF Request passes this through to Django's
    remote = meta.get("REMOTE_ADDR") or None
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        # Not through the proxy (a health check from the host itself): the peer is the client.
        return remote
    # As DRF's NUM_PROXIES: with fewer entries than proxies, every entry came from a proxy.
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote
