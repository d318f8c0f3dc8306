"""Authentication backends: the django-axes lockout check in front of the model backend."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that comes with a request.

    Every sign-in form (the portal's, the admin's, DRF's session login) passes the request.
    ``authenticate()`` without one is not a sign-in attempt by a client (a management
    command, the test client's shortcut), so there is no client to lock out: skip instead of
    raising as axes does.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip_for_axes(request: HttpRequest) -> str | None:
    """The same client address the audit trail records (portal.audit.record.client_ip)."""
    from portal.audit.record import client_ip

    return client_ip(request)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None):
    """The "too many attempts" page, in the user's language, status 429.

    Shown alike for existing and unknown e-mail addresses (axes counts both), so it tells
    an attacker nothing about which addresses have accounts.
    """
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "portal/security/locked_out.html", {"cooloff_minutes": minutes}, status=429)
