"""The access gate of forecasts and scenarios: holders of ``forecasts.view_forecast``
(criteria admins, auditors and analysts, granted by migration 0001); to anyone else the
pages do not exist (404). Pages and any later API call this."""

from typing import Any

from django.http import Http404

PERMISSION = "forecasts.view_forecast"


def may_view_forecasts(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(PERMISSION))


def forecasts_gate(user: Any) -> None:
    """Raise 404 unless ``user`` may read forecasts and run scenarios."""
    if not may_view_forecasts(user):
        raise Http404
