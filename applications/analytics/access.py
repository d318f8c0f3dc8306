"""Who may read the dashboards: one rule (portal.staff.may_view_analytics), 404 for the rest."""

from typing import Any

from django.http import Http404

from portal import staff


def analytics_reader(user: Any) -> None:
    """Raise 404 unless the user is an analyst, a criteria admin or an auditor.

    The dashboards show aggregates only, never a person, so no object rule follows.
    """
    if not staff.may_view_analytics(user):
        raise Http404
