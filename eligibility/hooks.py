"""What eligibility's admin and API offer about applications without knowing them.

Eligibility is policy only and imports nothing from ``applications`` (docs/architecture.md).
Four of its pages act on the pool of applications: the criteria set's Rescore page, the
impact preview action, the quota list's "cases waiting" and the quota proposal's uptake. The applications app provides
them in ``ApplicationsConfig.ready()``; here they are named and typed, and a missing one
fails loudly instead of silently doing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django.http import HttpRequest, HttpResponse

    from eligibility.models import CriteriaSet, ImpactReport


@dataclass
class ApplicationSide:
    # (model admin, request, criteria set) -> the Rescore page (GET: old vs new; POST: apply).
    rescore_view: Callable[[ModelAdmin, HttpRequest, CriteriaSet], HttpResponse] | None = None
    # (criteria_set=, actor=) -> a report whose computation is queued.
    impact_request: Callable[..., ImpactReport] | None = None
    # year -> [{"quota": Quota, "used", "remaining", "waiting": cases waiting for a place}].
    quota_overview: Callable[[int | None], list[dict[str, Any]]] | None = None
    # (product=, year=) -> {(sector, region code): {"approved": n, "waiting": n}}, for quota proposals.
    quota_uptake: Callable[..., dict[tuple[str, str], dict[str, int]]] | None = None


application_side = ApplicationSide()


def provide(**providers: Any) -> None:
    """Called by the applications app at start-up: ``provide(rescore_view=...)``."""
    for name, fn in providers.items():
        if not hasattr(application_side, name):
            raise ImproperlyConfigured(f"eligibility.hooks has no slot {name!r}")
        setattr(application_side, name, fn)


def provider(name: str) -> Callable[..., Any]:
    """The function the applications app provided for ``name``."""
    fn = getattr(application_side, name)
    if fn is None:
        raise ImproperlyConfigured(f"nothing provides eligibility.hooks.{name}: is 'applications' installed?")
    return fn
