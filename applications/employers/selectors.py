"""Employer reads: the answer to each application's named offer, regions of work, grace periods."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from applications.employers.models import Employment, JobOffer


def offer_outcomes(application_ids: Iterable[int] | QuerySet) -> dict[int, bool | None]:
    """The fact "offer confirmed by employer" for each application that named an employer:
    its latest offer confirmed (True), declined (False) or still waiting (None). Applications
    that named none are absent (the fact is False for them). One query."""
    rows = (
        JobOffer.objects.filter(application_id__in=application_ids)
        .order_by("application_id", "-requested_at", "-pk")
        .values_list("application_id", "state")
    )
    out: dict[int, bool | None] = {}
    for application_id, state in rows:
        if application_id not in out:
            out[application_id] = {JobOffer.State.CONFIRMED: True, JobOffer.State.DECLINED: False}.get(state)
    return out


def offer_confirmed(application_id: int) -> bool | None:
    return offer_outcomes([application_id]).get(application_id, False)


def offers_for_case(application: Any) -> list[JobOffer]:
    """The case page's panel: every offer the application named, newest first, with its employment."""
    return list(
        JobOffer.objects.filter(application=application)
        .select_related("employer", "employment")
        .prefetch_related("regions", "employment__regions")
    )


def regions_of_work(application: Any) -> list:
    """The regions of work the card shows: the current employment's, else the confirmed offer's."""
    employment = (
        Employment.objects.filter(offer__application=application, state=Employment.State.ACTIVE)
        .prefetch_related("regions")
        .first()
    )
    if employment is not None:
        return list(employment.regions.all())
    offer = (
        JobOffer.objects.filter(application=application, state=JobOffer.State.CONFIRMED)
        .prefetch_related("regions")
        .first()
    )
    return list(offer.regions.all()) if offer is not None else []


def grace_overdue(today: date | None = None) -> QuerySet[Employment]:
    """Ended employments whose grace period is over with no new employer named."""
    today = today or timezone.localdate()
    return Employment.objects.filter(
        state=Employment.State.ENDED, successor__isnull=True, grace_until__lt=today
    ).order_by("grace_until", "pk")


def in_grace(card_id: int) -> Employment | None:
    """The holder's ended employment still waiting for a new employer (most recent)."""
    return (
        Employment.objects.filter(card_id=card_id, state=Employment.State.ENDED, successor__isnull=True)
        .select_related("employer")
        .order_by("-ended_on", "-pk")
        .first()
    )
