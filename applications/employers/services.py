"""Employer writes: sign-up, the criteria admin's decision, job offers and employment reports."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.employers.models import Employer, Employment, JobOffer
from applications.employers.selectors import grace_overdue
from applications.employers.transitions import EmployerTransitionRefused, employment_transition, offer_transition
from applications.models import Application, IssuedCard
from applications.notifications import notification_create
from applications.products import get_product
from applications.products.base import COMPLETED, PROGRESS_KEY, NamedEmployer
from applications.scoring.tasks import application_score_task
from applications.states import State
from applications.workflow import workflow_step
from eligibility.models import Region
from portal import roles
from portal.accounts.services import user_sign_up
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record
from portal.queueing import enqueue_on_commit


class EmployerDecisionRefused(Exception):
    """The employer was already decided (by someone else, or in another tab)."""


def employer_sign_up(
    *,
    email: str,
    password: str,
    preferred_language: str,
    legal_name: str,
    bin: str,
    regions: Iterable[Region],
    request: Any = None,
    ip_address: str | None = None,
) -> Employer | None:
    """Create an unverified employer account and its organisation, waiting for verification.

    The account part is the portal's sign-up (``user_sign_up``: e-mail verification, the
    account e-mail limits, the same page whether or not the address is registered). An
    address that already has an account creates nothing and returns None.
    """
    created: list[Employer] = []

    def organisation(user: Any) -> None:
        employer = Employer.objects.create(legal_name=legal_name, bin=bin, contact=user)
        employer.regions.set(regions)
        audit_record(
            actor=user,
            action="employer.signed_up",
            obj=employer,
            to_state=employer.status,
            snapshot={"bin": bin, "regions": sorted(r.pk for r in regions)},
            ip_address=ip_address,
        )
        created.append(employer)

    user_sign_up(
        email=email,
        password=password,
        preferred_language=preferred_language,
        request=request,
        role=roles.EMPLOYER,
        on_created=organisation,
    )
    return created[0] if created else None


def employer_decide(
    *, employer_id: int, actor: Any, verified: bool, reason: str = "", ip_address: str | None = None
) -> Employer:
    """Verify or refuse a pending employer: lock, check, save, audit and notify in one transaction.

    Only a pending employer can be decided, once: a second decision (another admin, a
    replayed form) raises EmployerDecisionRefused and changes nothing.
    """
    with transaction.atomic():
        employer = Employer.objects.select_for_update().select_related("contact").get(pk=employer_id)
        if employer.status != Employer.Status.PENDING:
            raise EmployerDecisionRefused(employer.status)
        before = employer.status
        employer.status = Employer.Status.VERIFIED if verified else Employer.Status.REFUSED
        employer.decided_by = actor
        employer.decided_at = timezone.now()
        employer.decision_reason = reason
        employer.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        event = audit_record(
            actor=actor,
            action="employer.verified" if verified else "employer.refused",
            obj=employer,
            from_state=before,
            to_state=employer.status,
            reason=reason,
            ip_address=ip_address,
        )
        notification_create(
            recipient=employer.contact,
            kind="employer_decided",
            event_key=str(event.pk),
            payload={"verified": verified, "legal_name": employer.legal_name, "reason": reason},
        )
    return employer


# --- job offers and employment (issue 19) ----------------------------------------------


def _payload(offer: JobOffer, **extra: Any) -> dict[str, Any]:
    return {
        "legal_name": offer.employer.legal_name,
        "reference": offer.application.reference,
        "applicant_name": offer.application.applicant_name,
        **extra,
    }


def offer_request(
    *, application: Application, named: NamedEmployer, actor: Any, ip_address: str | None = None
) -> JobOffer | None:
    """Ask the named employer to confirm the offer: a request in its inbox and an e-mail.

    Only a verified employer is asked; a BIN with no verified account asks no one (the case
    page says so). The details start from the applicant's answers, limited to the employer's
    own regions of work; the employer corrects them when it confirms.
    """
    employer = Employer.objects.filter(bin=named.bin, status=Employer.Status.VERIFIED).select_related("contact").first()
    if employer is None:
        return None
    pending = JobOffer.objects.filter(application=application, employer=employer, state=JobOffer.State.REQUESTED)
    if pending.exists():
        return pending.first()  # submitted again (after a reply): the open request stands
    sites = set(employer.regions.values_list("pk", flat=True))
    offer = JobOffer(
        application=application,
        employer=employer,
        position=named.position,
        isco_code=named.isco_code,
        monthly_salary_kzt=named.monthly_salary_kzt,
    )

    def regions(row: Any) -> None:
        row.regions.set([code for code in named.region_codes if code in sites])

    offer = offer_transition(
        offer=offer,
        action="request",
        actor=actor,
        snapshot={"bin": named.bin},
        ip_address=ip_address,
        after=regions,
    )
    notification_create(
        recipient=employer.contact,
        kind="offer_requested",
        event_key=f"offer{offer.pk}",
        payload=_payload(offer),
    )
    return offer


@workflow_step("request_offer")
def request_offer_on_submit(app: Application, actor: Any, context: dict) -> None:
    """Workflow effect of "submit": the employer the answers name is asked to confirm the offer."""
    named_employer = get_product(app.product).named_employer
    if named_employer is None:
        return
    answers = app.answers or {}
    done = answers.get(PROGRESS_KEY, {})
    named = named_employer(lambda slug: answers.get(slug, {}) if done.get(slug) == COMPLETED else {}, app.track)
    if named is not None:
        offer_request(application=app, named=named, actor=actor, ip_address=context.get("ip_address"))


def offer_confirm(
    *,
    offer: JobOffer,
    actor: Any,
    position: str,
    isco_code: str,
    monthly_salary_kzt: int,
    regions: Iterable[Region],
    start_date: date,
    ip_address: str | None = None,
) -> JobOffer:
    """The employer confirms the offer, with the details as it states them (it may correct the
    applicant's); the applicant is told, and the fact "offer confirmed by employer" is true."""
    region_codes = sorted(r.pk for r in regions)
    changes = {
        "position": position,
        "isco_code": isco_code,
        "monthly_salary_kzt": monthly_salary_kzt,
        "start_date": start_date,
        "decided_at": timezone.now(),
        "decided_by": actor,
    }
    with transaction.atomic():
        offer = offer_transition(
            offer=offer,
            action="confirm",
            actor=actor,
            changes=changes,
            snapshot={**{k: str(v) for k, v in changes.items() if k != "decided_by"}, "regions": region_codes},
            ip_address=ip_address,
            after=lambda row: row.regions.set(region_codes),
        )
        notification_create(
            recipient=offer.application.owner,
            kind="offer_decided",
            event_key=f"offer{offer.pk}:confirm",
            application=offer.application,
            payload=_payload(offer, confirmed=True),
        )
        _rescore(offer)
    return offer


def offer_decline(*, offer: JobOffer, actor: Any, reason: str, ip_address: str | None = None) -> JobOffer:
    """The employer declines the offer, giving a reason the applicant and the caseworker read."""
    if not reason.strip():
        raise EmployerTransitionRefused(_("Give a reason."))
    with transaction.atomic():
        offer = offer_transition(
            offer=offer,
            action="decline",
            actor=actor,
            changes={"decline_reason": reason, "decided_at": timezone.now(), "decided_by": actor},
            reason=reason,
            ip_address=ip_address,
        )
        notification_create(
            recipient=offer.application.owner,
            kind="offer_decided",
            event_key=f"offer{offer.pk}:decline",
            application=offer.application,
            payload=_payload(offer, confirmed=False, reason=reason),
        )
        _rescore(offer)
    return offer


def _rescore(offer: JobOffer) -> None:
    """The answer changes the fact "offer confirmed by employer": the case is scored again
    (after commit, by the one scoring writer), unless it is still a draft."""
    if offer.application.state != State.DRAFT:
        enqueue_on_commit(application_score_task, offer.application_id)


def _active_card(offer: JobOffer) -> IssuedCard:
    card = IssuedCard.objects.filter(application_id=offer.application_id, status=IssuedCard.Status.ACTIVE).first()
    if card is None:
        raise EmployerTransitionRefused(_("Work can be reported only after the card is issued."))
    return card


def employment_start(*, offer: JobOffer, actor: Any, started_on: date, ip_address: str | None = None) -> Employment:
    """The employer reports that the holder started work, on the confirmed offer's terms."""
    offer = JobOffer.objects.get(pk=offer.pk)
    if offer.state != JobOffer.State.CONFIRMED:
        raise EmployerTransitionRefused(_("This cannot be done at this stage."))
    if Employment.objects.filter(offer=offer).exists():
        raise EmployerTransitionRefused(_("This cannot be done at this stage."))
    card = _active_card(offer)
    region_codes = list(offer.regions.values_list("pk", flat=True))
    with transaction.atomic():
        employment = employment_transition(
            employment=Employment(
                offer=offer,
                card=card,
                employer_id=offer.employer_id,
                position=offer.position,
                isco_code=offer.isco_code,
                monthly_salary_kzt=offer.monthly_salary_kzt,
                started_on=started_on,
            ),
            action="start",
            actor=actor,
            snapshot={"started_on": started_on.isoformat(), "regions": region_codes},
            ip_address=ip_address,
            after=lambda row: row.regions.set(region_codes),
        )
        # A new employer during a grace period ends it.
        Employment.objects.filter(card=card, state=Employment.State.ENDED, successor__isnull=True).update(
            successor=offer
        )
        _tell_holder(employment, kind="employment_reported", key="start", started=True)
    return employment


def employment_change(
    *,
    employment: Employment,
    actor: Any,
    position: str,
    monthly_salary_kzt: int,
    regions: Iterable[Region],
    ip_address: str | None = None,
) -> Employment:
    """The employer reports a change of position, salary or regions of work."""
    region_codes = sorted(r.pk for r in regions)
    before = {
        "position": employment.position,
        "monthly_salary_kzt": employment.monthly_salary_kzt,
        "regions": sorted(employment.regions.values_list("pk", flat=True)),
    }
    with transaction.atomic():
        employment = employment_transition(
            employment=employment,
            action="change",
            actor=actor,
            changes={"position": position, "monthly_salary_kzt": monthly_salary_kzt},
            snapshot={
                "before": before,
                "after": {"position": position, "monthly_salary_kzt": monthly_salary_kzt, "regions": region_codes},
            },
            ip_address=ip_address,
            after=lambda row: row.regions.set(region_codes),
        )
        count = AuditEvent.objects.filter(object_type="employers.employment", object_id=str(employment.pk)).count()
        _tell_holder(employment, kind="employment_reported", key=f"change{count}", started=False)
    return employment


def employment_end(
    *, employment: Employment, actor: Any, ended_on: date, reason: str, ip_address: str | None = None
) -> Employment:
    """The employer reports the end of employment: the holder's grace period starts
    (``EMPLOYMENT_GRACE_DAYS``), and the holder and the case's caseworker are told."""
    if ended_on < employment.started_on:
        raise EmployerTransitionRefused(_("The end cannot be before the start of work."))
    grace_until = ended_on + timedelta(days=settings.EMPLOYMENT_GRACE_DAYS)
    with transaction.atomic():
        employment = employment_transition(
            employment=employment,
            action="end",
            actor=actor,
            changes={"ended_on": ended_on, "end_reason": reason, "grace_until": grace_until},
            reason=reason,
            snapshot={"ended_on": ended_on.isoformat(), "grace_until": grace_until.isoformat()},
            ip_address=ip_address,
        )
        _tell_holder(employment, kind="employment_ended", key="end", grace_until=grace_until.isoformat())
        application = employment.offer.application
        # The caseworker who handled the case hears too; the overdue list shows it to all.
        if application.claimed_by_id:
            notification_create(
                recipient=application.claimed_by,
                kind="employment_ended",
                event_key=f"employment{employment.pk}:end",
                application=application,
                payload={**_payload(employment.offer), "grace_until": grace_until.isoformat(), "staff": True},
            )
    return employment


def _tell_holder(employment: Employment, *, kind: str, key: str, **extra: Any) -> None:
    offer = JobOffer.objects.select_related("employer", "application__owner").get(pk=employment.offer_id)
    notification_create(
        recipient=offer.application.owner,
        kind=kind,
        event_key=f"employment{employment.pk}:{key}",
        application=offer.application,
        payload=_payload(offer, position=employment.position, **extra),
    )


def new_employer_name(
    *, card: IssuedCard, actor: Any, bin: str, position: str = "", ip_address: str | None = None
) -> JobOffer:
    """The holder names a new employer (in a grace period, or changing jobs): the employer is
    asked to confirm the offer, as at application. Only a verified employer can be named."""
    if card.holder_id != getattr(actor, "pk", None) or card.status != IssuedCard.Status.ACTIVE:
        raise EmployerTransitionRefused(_("You cannot do this."))
    if not Employer.objects.filter(bin=bin, status=Employer.Status.VERIFIED).exists():
        raise EmployerTransitionRefused(_("No verified employer has this BIN. Ask the employer to register."))
    application = Application.objects.select_related("owner").get(pk=card.application_id)
    offer = offer_request(
        application=application,
        named=NamedEmployer(bin=bin, position=position, isco_code=application.occupation_code),
        actor=actor,
        ip_address=ip_address,
    )
    if offer is None:  # the employer was verified above; a concurrent change of its status
        raise EmployerTransitionRefused(_("No verified employer has this BIN. Ask the employer to register."))
    # Naming a new employer ends the grace period (docs/employers.md).
    Employment.objects.filter(card=card, state=Employment.State.ENDED, successor__isnull=True).update(successor=offer)
    return offer


def grace_reminders_send(*, today: date | None = None) -> int:
    """Remind holders whose grace period is over and who named no new employer: once per
    employment and week overdue (the caseworkers' list shows the same employments)."""
    today = today or timezone.localdate()
    sent = 0
    for employment in grace_overdue(today).select_related("offer__application__owner", "employer"):
        if employment.grace_until is None:  # grace_overdue selects ended employments only
            continue
        week = (today - employment.grace_until).days // 7
        rows = notification_create(
            recipient=employment.offer.application.owner,
            kind="new_employer_due",
            event_key=f"employment{employment.pk}:grace{week}",
            application=employment.offer.application,
            payload={
                "legal_name": employment.employer.legal_name,
                "grace_until": employment.grace_until.isoformat(),
                "card_id": employment.card_id,
            },
        )
        sent += bool(rows)
    return sent
