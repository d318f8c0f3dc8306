"""Reads about issued cards (the access gate is applications/cards/access.py)."""

from django.db.models import QuerySet

from applications.models import IssuedCard


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
