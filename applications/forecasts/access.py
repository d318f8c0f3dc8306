"""The access gate of forecasts and scenarios: the roles of ``portal.staff.may_view_forecasts``
(criteria admins, auditors, analysts); to anyone else the pages do not exist (404). Pages
and any later API call this. The model permission ``forecasts.view_forecast`` (granted to
the same groups by migration 0001) is what Django's own
permission checks (the admin) would read."""

from typing import Any

from django.http import Http404

from portal.staff import may_view_forecasts


def forecasts_gate(user: Any) -> None:
    """Raise 404 unless ``user`` may read forecasts and run scenarios."""
    if not may_view_forecasts(user):
        raise Http404
