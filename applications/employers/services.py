"""Employer writes: sign-up (account and organisation) and the criteria admin's decision."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from applications.employers.models import Employer
from applications.notifications import notification_create
from eligibility.models import Region
from portal import roles
from portal.accounts.services import user_sign_up
from portal.audit.record import audit_record


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
