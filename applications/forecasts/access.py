"""The access gate of forecasts and scenarios: the readers of the analytics dashboards
(``portal.staff.may_view_analytics``: analysts, criteria admins, auditors); to anyone else
the pages do not exist (404). Pages and any later API call this."""

from typing import Any

from django.http import Http404

from portal.staff import may_view_analytics


def forecasts_gate(user: Any) -> None:
    """Raise 404 unless ``user`` may read forecasts and run scenarios."""
    if not may_view_analytics(user):
        raise Http404
