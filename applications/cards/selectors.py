"""Reads about issued cards, and the access gate."""

from django.db.models import QuerySet
from django.http import Http404

from applications.models import IssuedCard
from portal import roles


def card_for(user, pk: int) -> IssuedCard:
    """The card ``pk`` if ``user`` may see it: its holder, casework staff, auditors; else 404."""
    if user is None or not user.is_authenticated:
        raise Http404
    card = IssuedCard.objects.select_related("application", "holder", "photo").filter(pk=pk).first()
    if card is None:
        raise Http404
    if card.holder_id == user.pk:
        return card
    if roles.has_role(user, roles.CASEWORKER, roles.SENIOR_CASEWORKER, roles.AUDITOR):
        return card
    raise Http404


def cards_of(user) -> QuerySet[IssuedCard]:
    return IssuedCard.objects.filter(holder=user).select_related("application").order_by("-issued_at")


def photo_bytes(card: IssuedCard) -> bytes | None:
    """The sanitised applicant photo, or None (never the unprocessed upload)."""
    document = card.photo
    if document is None:
        return None
    sanitised = getattr(document, "sanitised_file", None)
    if sanitised is not None:
        if not sanitised.name:
            return None
        source = sanitised
    elif document.status == document.Status.READY:
        # Before the document pipeline stored a separate sanitised copy.
        source = document.file
    else:
        return None
    try:
        with source.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None
