"""The life of a job offer and of an employment: two small tables and the one function that
moves each (lock, check the table and the actor, save, audit, in one transaction).

Who may act: ``EMPLOYER`` is the contact of the offer's employer; ``HOLDER`` is the owner of
the application (the applicant, later the card holder).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from applications.employers.models import Employment, JobOffer
from portal.audit.record import audit_record

EMPLOYER = "employer"
HOLDER = "holder"
NEW = ""  # no row yet

OS, ES = JobOffer.State, Employment.State


@dataclass(frozen=True)
class Move:
    target: str
    who: str


# (state, action) -> move. Read top to bottom, it is the life of an offer.
OFFER_TRANSITIONS: dict[tuple[str, str], Move] = {
    (NEW, "request"): Move(OS.REQUESTED, HOLDER),
    (OS.REQUESTED, "confirm"): Move(OS.CONFIRMED, EMPLOYER),
    (OS.REQUESTED, "decline"): Move(OS.DECLINED, EMPLOYER),
}

# The employer reports, once the card is issued: start, changes, end (which starts the
# holder's grace period to name a new employer).
EMPLOYMENT_TRANSITIONS: dict[tuple[str, str], Move] = {
    (NEW, "start"): Move(ES.ACTIVE, EMPLOYER),
    (ES.ACTIVE, "change"): Move(ES.ACTIVE, EMPLOYER),
    (ES.ACTIVE, "end"): Move(ES.ENDED, EMPLOYER),
}


class EmployerTransitionRefused(Exception):
    """Not allowed in this state or for this actor; the message says why (translated)."""


def _may(who: str, actor: Any, offer: JobOffer) -> bool:
    actor_pk = getattr(actor, "pk", None)
    if who == EMPLOYER:
        return actor_pk is not None and offer.employer.contact_id == actor_pk
    return actor_pk is not None and offer.application.owner_id == actor_pk


def offer_actions(offer: JobOffer, actor: Any) -> list[str]:
    return [a for (s, a), move in OFFER_TRANSITIONS.items() if s == offer.state and _may(move.who, actor, offer)]


def _move(
    table: dict[tuple[str, str], Move],
    *,
    row: models.Model,
    offer: JobOffer,
    action: str,
    actor: Any,
    changes: dict[str, Any],
    reason: str,
    snapshot: dict | None,
    ip_address: str | None,
    after: Callable[[Any], None] | None,
) -> models.Model:
    state = getattr(row, "state", NEW) if row.pk else NEW
    move = table.get((state, action))
    if move is None:
        raise EmployerTransitionRefused(_("This cannot be done at this stage."))
    if not _may(move.who, actor, offer):
        raise EmployerTransitionRefused(_("You cannot do this."))
    for field, value in changes.items():
        setattr(row, field, value)
    row.state = move.target  # type: ignore[attr-defined]
    if row.pk:
        row.save(update_fields=["state", *changes])
    else:
        row.save()
    if after is not None:
        after(row)
    audit_record(
        actor=actor,
        action=f"{row._meta.model_name}.{action}",
        obj=row,
        application=offer.application,
        from_state=state,
        to_state=move.target,
        reason=reason,
        snapshot=snapshot,
        ip_address=ip_address,
    )
    return row


def offer_transition(
    *,
    offer: JobOffer,
    action: str,
    actor: Any,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    snapshot: dict | None = None,
    ip_address: str | None = None,
    after: Callable[[Any], None] | None = None,
) -> JobOffer:
    """Move an offer by ``action``: the row is locked and re-read, so a second answer (another
    tab, a replayed form) finds it already decided and is refused."""
    with transaction.atomic():
        if offer.pk:
            offer = (
                JobOffer.objects.select_for_update(of=("self",))
                .select_related("employer", "application")
                .get(pk=offer.pk)
            )
        return _move(  # type: ignore[return-value]
            OFFER_TRANSITIONS,
            row=offer,
            offer=offer,
            action=action,
            actor=actor,
            changes=changes or {},
            reason=reason,
            snapshot=snapshot,
            ip_address=ip_address,
            after=after,
        )


def employment_transition(
    *,
    employment: Employment,
    action: str,
    actor: Any,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    snapshot: dict | None = None,
    ip_address: str | None = None,
    after: Callable[[Any], None] | None = None,
) -> Employment:
    """Move an employment by ``action`` (start creates it), locked, checked and audited."""
    with transaction.atomic():
        if employment.pk:
            employment = Employment.objects.select_for_update(of=("self",)).get(pk=employment.pk)
        offer = JobOffer.objects.select_related("employer", "application").get(pk=employment.offer_id)
        return _move(  # type: ignore[return-value]
            EMPLOYMENT_TRANSITIONS,
            row=employment,
            offer=offer,
            action=action,
            actor=actor,
            changes=changes or {},
            reason=reason,
            snapshot=snapshot,
            ip_address=ip_address,
            after=after,
        )
