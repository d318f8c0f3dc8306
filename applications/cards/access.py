"""Access gate for issued cards: the case's rule (applications.access), never a looser one."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from applications.access import staff_can_see
from applications.cards.numbers import normalise
from applications.casework.queues import in_queue
from applications.models import IssuedCard
from portal import privacy


def card_for(user: Any, number: str, *, write: bool = False, full: bool = False, request=None) -> IssuedCard:
    """The card numbered ``number`` if ``user`` may see it (revoke it, with ``write``); else 404.

    - nobody signed in, or no such card: 404;
    - ``write`` (revocation): only a senior caseworker of a queue the card's case sits in;
    - its holder;
    - staff who may see the card's case (``applications.access.staff_can_see``: auditors, and
      caseworkers and seniors of a queue the case sits in);
    - ``full`` (the card PDF and the photo, which carry the date of birth and the face): only
      the holder and the roles that see identifiers (docs/privacy.md), so not auditors;
    - anyone else: 404, as if the card did not exist (the refusal goes to the security log).
    """
    if user is None or not user.is_authenticated:
        raise Http404
    card = IssuedCard.objects.select_related("application", "holder", "photo").filter(number=normalise(number)).first()
    if card is None:
        raise Http404
    if write:
        if may_revoke(user, card):
            return card
        raise _refused(user, card, "revoke_not_senior_of_queue", request)
    if card.holder_id == user.pk:
        return card
    if full and not privacy.sees_identifiers(user, card.holder_id):
        raise _refused(user, card, "card_in_full_without_identifier_role", request)
    if staff_can_see(user, card.application):
        return card
    raise _refused(user, card, "not_holder_or_staff", request)


def may_revoke(user: Any, card: IssuedCard) -> bool:
    """Whether the card page offers revocation: the same rule as ``card_for(..., write=True)``."""
    return in_queue(user, card.application, senior=True)


def _refused(user: Any, card: IssuedCard, reason: str, request) -> Http404:
    from portal.security_log import access_refused

    access_refused(user=user, obj=card, reason=reason, request=request)
    return Http404()
