"""Reads of the holder's stay: the one timeline the holder's pages and the case page show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from applications.cards.services import previous_card_of
from applications.models import Application, IssuedCard
from applications.products import get_product
from applications.stay.models import BorderRecord
from applications.stay.timeline import Crossing, StayTimeline, stay_timeline


def first_card(card: IssuedCard) -> IssuedCard:
    """The first card of a renewal chain: the years of stay count from its first day."""
    seen = {card.pk}
    while card.previous_card_id is not None and card.previous_card_id not in seen:
        seen.add(card.previous_card_id)
        card = IssuedCard.objects.get(pk=card.previous_card_id)
    return card


def records_of(card: IssuedCard) -> QuerySet[BorderRecord]:
    """Every border record of the card's holder (any of their cards), oldest first."""
    return BorderRecord.objects.filter(holder_id=card.holder_id).order_by("crossed_on", "created_at", "pk")


def crossings_by_holder(holder_ids: Iterable[int]) -> dict[int, list[Crossing]]:
    """The crossings of many holders in one query (the reminder task's bulk read)."""
    found: dict[int, list[Crossing]] = defaultdict(list)
    rows = (
        BorderRecord.objects.filter(holder_id__in=list(holder_ids))
        .order_by("crossed_on", "created_at", "pk")
        .values_list("holder_id", "direction", "crossed_on", "source")
    )
    for holder_id, direction, crossed_on, source in rows:
        found[holder_id].append(Crossing(direction, crossed_on, source))
    return found


def timeline_for_card(
    card: IssuedCard, *, today: date | None = None, crossings: list[Crossing] | None = None
) -> StayTimeline:
    """The holder's stay since the first card of ``card``'s chain; access is the caller's gate.

    ``crossings``: the holder's, when the caller read them in bulk (``crossings_by_holder``).
    """
    today = today or timezone.localdate()
    if crossings is None:
        crossings = [
            Crossing(r.direction, r.crossed_on, r.source)
            for r in records_of(card).only("direction", "crossed_on", "source")
        ]
    return stay_timeline(
        crossings,
        starts_on=first_card(card).valid_from,
        today=today,
        max_days_abroad=settings.STAY_MAX_DAYS_ABROAD_PER_YEAR,
        years_required=get_product(card.product).citizenship_after_years,
    )


def card_of_case(application: Application) -> IssuedCard | None:
    """The card a case is about: the one it issued, or the one it renews."""
    card = IssuedCard.objects.filter(application=application).first()
    return card if card is not None else previous_card_of(application)


def timeline_for_case(application: Application) -> tuple[IssuedCard, StayTimeline] | None:
    """The case page's stay timeline (the same one the holder sees), or None without a card."""
    card = card_of_case(application)
    return (card, timeline_for_card(card)) if card is not None else None
