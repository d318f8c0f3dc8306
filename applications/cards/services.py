"""Writes about issued cards: issue, revoke, expire, share codes, checks, address and employer changes."""

import copy
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.cards import numbers, signing
from applications.models import (
    Application,
    CardAddress,
    CardCheck,
    CardEmployer,
    CardShareCode,
    Document,
    IssuedCard,
)
from applications.notifications import notification_create
from applications.products import get_product
from applications.states import State
from applications.workflow import application_transition, workflow_step
from portal import roles
from portal.audit.record import audit_record
from portal.queueing import enqueue_on_commit

# Share codes avoid letters and digits people confuse (0/O, 1/I/L).
SHARE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHARE_CODE_LENGTH = 9


class CardActionRefused(Exception):
    """The card action is not allowed; the message says why, in the user's language."""


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _date_or_none(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _holder_facts(application: Application) -> tuple[str, date | None]:
    answers = application.answers or {}
    personal = answers.get("personal")
    if not isinstance(personal, dict):
        personal = {}
    name = application.applicant_name or personal.get("full_name") or application.owner.get_full_name()
    dob = _date_or_none(personal.get("date_of_birth") or answers.get("date_of_birth"))
    return name, dob


def _photo_for(application: Application) -> Document | None:
    """The applicant photo that passed the document checks (its sanitised copy is used)."""
    return (
        application.documents.filter(kind=Document.Kind.PHOTO, status=Document.Status.READY)
        .order_by("-created_at")
        .first()
    )


def previous_card_of(application: Application) -> IssuedCard | None:
    """The card an application renews (named in its answers), if any."""
    number = ((application.answers or {}).get("renewal") or {}).get("card_number")
    return IssuedCard.objects.filter(number=number).first() if number else None


def card_issue(*, application: Application | int) -> IssuedCard:
    """Issue the card for an approved application and move it to "issued"; safe to call twice.

    Called by the system actor right after the senior's final approval. The card row, its
    signed payload, the workflow's "issue" transition (audit event) and the holder's
    card_issued notification are written in one transaction.
    """
    pk = application.pk if isinstance(application, Application) else application
    with transaction.atomic():
        app = Application.objects.select_for_update(of=("self",)).select_related("owner", "region").get(pk=pk)
        existing = IssuedCard.objects.filter(application=app).first()
        if existing is not None:
            return existing
        if app.state != State.APPROVED:
            raise CardActionRefused(_("A card is issued only for an approved application."))

        today = timezone.localdate()
        name, dob = _holder_facts(app)
        previous = previous_card_of(app)
        declared = get_product(app.product)
        valid_until = add_years(today, declared.validity_years) - timedelta(days=1)
        number = numbers.card_number_allocate(product=app.product, year=today.year)
        key_id, private_key = signing.signing_key()
        claims = signing.CardClaims(
            number=number,
            name=name,
            date_of_birth=dob.isoformat() if dob else "",
            product=app.product,
            valid_from=today.isoformat(),
            valid_until=valid_until.isoformat(),
        )
        citizenship_on = None
        if declared.citizenship_after_years is not None:
            # The years of stay count from the first card, not from a renewal.
            first_from = today
            chain = previous
            while chain is not None:
                first_from = chain.valid_from
                chain = chain.previous_card
            citizenship_on = add_years(first_from, declared.citizenship_after_years)
        card = IssuedCard.objects.create(
            number=number,
            application=app,
            product=app.product,
            holder=app.owner,
            holder_name=name,
            date_of_birth=dob,
            photo=_photo_for(app),
            valid_from=today,
            valid_until=valid_until,
            citizenship_eligible_on=citizenship_on,
            payload=signing.payload_sign(claims, key_id=key_id, private_key=private_key),
            key_id=key_id,
            previous_card=previous,
        )
        # A region-bound card (the Kandas Card): the place of arrival fixed when the documents
        # were received. Otherwise no list: the whole country.
        if declared.region_bound and app.region_id:
            card.permitted_regions.add(app.region_id)
        application_transition(
            application=app,
            action="issue",
            actor=None,
            snapshot={"card_number": number, "key_id": key_id, "valid_until": valid_until.isoformat()},
        )
    return card


def card_issue_after_approval(*, application: Application) -> None:
    """For the approving step: issue the card once the approval has committed.

    Queued with ``transaction.on_commit`` (in-process when tasks run eagerly); if the broker is
    down, the ``card-issue-sweep`` beat task issues it within minutes.
    """
    enqueue_on_commit("applications.card_issue", application.pk)


@workflow_step("issue_card")
def issue_card_after_commit(app: Application, actor: Any, context: dict) -> None:
    """Workflow effect of "approve": a rolled-back approval issues nothing (queued on commit;
    the card-issue sweep catches any approval whose task was lost)."""
    card_issue_after_approval(application=app)


def cards_issue_missing(*, limit: int = 200) -> int:
    """Issue cards for approved applications that have none yet (the approving step crashed
    between approval and issue, or issues asynchronously). Safe to run any time."""
    pending = Application.objects.filter(state=State.APPROVED, card__isnull=True).values_list("pk", flat=True)
    issued = 0
    for pk in list(pending[:limit]):
        try:
            card_issue(application=pk)
        except CardActionRefused:  # changed state meanwhile
            continue
        issued += 1
    return issued


def card_revoke(*, card: IssuedCard, actor, reason: str, ip_address: str | None = None) -> IssuedCard:
    """Revoke a card (senior caseworkers only, with a reason). Verification shows it at once."""
    if not roles.has_role(actor, roles.SENIOR_CASEWORKER):
        raise CardActionRefused(_("Only a senior caseworker may revoke a card."))
    if not reason.strip():
        raise CardActionRefused(_("Give a reason."))
    with transaction.atomic():
        locked = IssuedCard.objects.select_for_update().get(pk=card.pk)
        if locked.status == IssuedCard.Status.REVOKED:
            raise CardActionRefused(_("This card is already revoked."))
        from_status = locked.status
        locked.status = IssuedCard.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason.strip()
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
        # Share codes already given out keep working on purpose: whoever checks with one
        # must see "revoked", not "not found". No new codes can be made (share_code_create).
        audit_record(
            actor=actor,
            action="card.revoke",
            obj=locked,
            application=locked.application,
            from_state=from_status,
            to_state=locked.status,
            reason=locked.revocation_reason,
            ip_address=ip_address,
        )
        # The holder hears of it from the portal, not from an employer's failed check. The
        # e-mail leaves the reason to the signed-in card page (e-mail is not a private channel).
        notification_create(
            recipient=locked.holder,
            kind="card_revoked",
            event_key=f"card{locked.pk}:revoked",
            application=locked.application,
            payload={"card_number": locked.number},
        )
    return locked


def cards_expire_due(*, today: date | None = None) -> int:
    """Mark active cards past their last day as expired (the nightly/beat sweep)."""
    today = today or timezone.localdate()
    count = 0
    for card in IssuedCard.objects.filter(status=IssuedCard.Status.ACTIVE, valid_until__lt=today).select_related(
        "application"
    ):
        with transaction.atomic():
            updated = IssuedCard.objects.filter(pk=card.pk, status=IssuedCard.Status.ACTIVE).update(
                status=IssuedCard.Status.EXPIRED
            )
            if updated:
                audit_record(
                    actor=None,
                    action="card.expire",
                    obj=card,
                    application=card.application,
                    from_state=IssuedCard.Status.ACTIVE,
                    to_state=IssuedCard.Status.EXPIRED,
                )
                count += 1
    return count


def card_expiry_reminders_send(*, today: date | None = None) -> int:
    """Remind holders 90 and 30 days before expiry; each reminder goes out once per card.

    Only the nearest threshold is sent (a card found with 20 days left gets the 30-day
    reminder, not both), and the notification's event key makes a second run a no-op.
    """
    today = today or timezone.localdate()
    thresholds = sorted(settings.CARD_EXPIRY_REMINDER_DAYS)
    horizon = today + timedelta(days=thresholds[-1])
    sent = 0
    cards = IssuedCard.objects.filter(
        status=IssuedCard.Status.ACTIVE, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("holder", "application")
    for card in cards:
        days_left = (card.valid_until - today).days
        threshold = next(d for d in thresholds if days_left <= d)
        rows = notification_create(
            recipient=card.holder,
            kind="expiry_coming",
            event_key=f"card{card.pk}:expiry{threshold}",
            application=card.application,
            payload={
                "card_number": card.number,
                "valid_until": card.valid_until.isoformat(),
                "days": days_left,
            },
        )
        sent += bool(rows)
    return sent


# --- share codes and checks ------------------------------------------------------------


def share_code_create(*, card: IssuedCard, purpose: str, actor) -> CardShareCode:
    """A new 30-day code for one checker; only the holder of a valid card may create it."""
    if actor is None or actor.pk != card.holder_id:
        raise CardActionRefused(_("Only the card holder may create share codes."))
    if not card.is_valid:
        raise CardActionRefused(_("Share codes can be created only for a valid card."))
    if purpose not in CardShareCode.Purpose.values:
        raise CardActionRefused(_("Choose what the code is for."))
    for _attempt in range(5):
        code = "".join(secrets.choice(SHARE_CODE_ALPHABET) for _ in range(SHARE_CODE_LENGTH))
        if not CardShareCode.objects.filter(code=code).exists():
            break
    now = timezone.now()
    share = CardShareCode.objects.create(
        card=card, code=code, purpose=purpose, expires_at=now + timedelta(days=settings.CARD_SHARE_CODE_DAYS)
    )
    audit_record(actor=actor, action="card.share_code", obj=share, application=card.application)
    return share


def share_code_withdraw(*, share: CardShareCode, actor) -> None:
    if actor is None or actor.pk != share.card.holder_id:
        raise CardActionRefused(_("Only the card holder may withdraw share codes."))
    CardShareCode.objects.filter(pk=share.pk, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


@dataclass
class CheckResult:
    """What a checker sees: nothing at all unless number and code match."""

    found: bool
    card: IssuedCard | None = None
    purpose: str = ""
    status: str = ""
    rights: str = ""
    regions: list[str] = field(default_factory=list)
    check_id: int | None = None

    @property
    def is_valid(self) -> bool:
        return self.found and self.card is not None and self.card.is_valid


def card_check(*, number: str, code: str, ip_address: str | None, checker: str = "") -> CheckResult:
    """Look a card up by number and share code, and log the check for the holder.

    A wrong number, wrong code, someone else's code, an expired or withdrawn code all give
    the same answer, so the page cannot be used to find out which card numbers exist.
    """
    number = numbers.normalise(number)
    code = normalise_code(code)
    if not numbers.is_well_formed(number) or len(code) != SHARE_CODE_LENGTH:
        return CheckResult(found=False)
    card = IssuedCard.objects.filter(number=number).first()
    if card is None:
        return CheckResult(found=False)
    # Scope: the code must belong to this very card.
    share = CardShareCode.objects.filter(card=card, code=code).first()
    usable = share is not None and share.is_usable
    check = CardCheck.objects.create(
        card=card,
        share_code=share if usable else None,
        outcome=CardCheck.Outcome.SHOWN if usable else CardCheck.Outcome.REFUSED,
        checker=checker.strip()[:200],
        ip_address=ip_address,
    )
    if share is None or not usable:
        return CheckResult(found=False)
    return CheckResult(
        found=True,
        card=card,
        purpose=share.purpose,
        status=card.current_status,
        rights=str(get_product(card.product).rights[CardShareCode.Purpose(share.purpose)]),
        regions=[region.name for region in card.permitted_regions.all()],
        check_id=check.pk,
    )


# --- the holder keeps the card current -------------------------------------------------


def address_register(*, card: IssuedCard, actor, region, address: str, registered_on: date) -> CardAddress:
    """Record a new registered address in Kazakhstan (earlier ones stay as history)."""
    if actor is None or actor.pk != card.holder_id:
        raise CardActionRefused(_("Only the card holder may report changes."))
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The date cannot be in the future.")})
    row = CardAddress.objects.create(card=card, region=region, address=address.strip(), registered_on=registered_on)
    audit_record(actor=actor, action="card.address", obj=row, application=card.application)
    return row


def employer_register(
    *, card: IssuedCard, actor, employer_name: str, employer_bin: str, position: str, started_on: date
) -> CardEmployer:
    """Record a change of employer (earlier ones stay as history)."""
    if actor is None or actor.pk != card.holder_id:
        raise CardActionRefused(_("Only the card holder may report changes."))
    if started_on > timezone.localdate() + timedelta(days=90):
        raise ValidationError({"started_on": _("The start date can be at most 90 days ahead.")})
    row = CardEmployer.objects.create(
        card=card,
        employer_name=employer_name.strip(),
        employer_bin=employer_bin.strip(),
        position=position.strip(),
        started_on=started_on,
    )
    audit_record(actor=actor, action="card.employer", obj=row, application=card.application)
    return row


def card_renewal_start(*, card: IssuedCard, actor) -> Application:
    """A draft renewal application pre-filled from the card's application; one at a time."""
    if actor is None or actor.pk != card.holder_id:
        raise CardActionRefused(_("Only the card holder may renew the card."))
    if card.current_status == IssuedCard.Status.REVOKED:
        raise CardActionRefused(_("A revoked card cannot be renewed."))
    existing = Application.objects.filter(
        owner=actor, state=State.DRAFT, answers__renewal__card_number=card.number
    ).first()
    if existing is not None:
        return existing
    source = card.application
    answers = copy.deepcopy(source.answers or {})
    answers["renewal"] = {"card_number": card.number}
    renewal = Application.objects.create(
        product=source.product,
        owner=actor,
        answers=answers,
        track=source.track,
        applicant_name=source.applicant_name,
        passport_number=source.passport_number,
        region=source.region,
        sector=source.sector,
        occupation_code=source.occupation_code,
    )
    audit_record(actor=actor, action="card.renewal_start", obj=renewal, snapshot={"card_number": card.number})
    return renewal
