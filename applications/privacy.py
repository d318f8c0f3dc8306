"""Applicants' data rights: export everything about them, erase drafts and withdrawn cases.

``PERSONAL_DATA`` below is the one list of the models that hold data about a person, and for
each where the export puts it and whether erasure removes it (or why not). The tests walk the
app registry and fail when a model with a path to the user or an application is missing here.

Erasure keeps only the minimal audit record (docs/privacy.md): the trail's existing rows
(actor, action, object reference, time, states, reason) and one "application_erased"
row naming what was erased; answers, documents (all three files of each), requests for
information, decisions, reviews, notes and notifications are gone.
"""

import contextlib
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.documents.names import display_name
from applications.models import (
    AdministrativeReview,
    Application,
    CaseNote,
    Decision,
    Document,
    IssuedCard,
    Notification,
    PhoneNumber,
    RequestForInformation,
)
from applications.states import ERASABLE_STATES, State
from applications.stay.models import BorderRecord
from portal.api.models import ApiToken
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record


class ErasureRefused(Exception):
    """The application is not in a state that may be erased (submitted cases are evidence)."""


@dataclass(frozen=True)
class PersonalData:
    """How one model's rows about a person are handled.

    ``export``: where ``data.json`` holds them ("" if not exported); ``erased``: whether
    ``application_erase`` removes them; ``reason``: why not, when either is missing.
    """

    export: str
    erased: bool
    reason: str = ""


_PER_ACCOUNT = "belongs to the account, not to one application: erasure is per application"
_CARD_KEPT = (
    "never erased: only drafts and withdrawn applications may be erased, and a card exists only "
    "for an issued case, the record of an administrative decision"
)
# Every model with a foreign-key path to the user or to an application, by app label.
PERSONAL_DATA: dict[str, PersonalData] = {
    "portal.User": PersonalData("account", erased=False, reason=_PER_ACCOUNT),
    "applications.Application": PersonalData("applications", erased=True),
    "applications.ApplicationScore": PersonalData("applications[].score", erased=True),
    "applications.Document": PersonalData("applications[].documents", erased=True),
    "applications.RequestForInformation": PersonalData("applications[].requests_for_information", erased=True),
    "applications.Decision": PersonalData("applications[].decisions", erased=True),
    "applications.CaseNote": PersonalData("applications[].case_notes", erased=True),
    "applications.AdministrativeReview": PersonalData("applications[].reviews", erased=True),
    "applications.Notification": PersonalData("notifications", erased=True),
    "audit.AuditEvent": PersonalData(
        "applications[].history",
        erased=False,
        reason="the minimal audit record of what was done, kept by law (docs/privacy.md, Erasure)",
    ),
    "applications.IssuedCard": PersonalData("cards", erased=False, reason=_CARD_KEPT),
    "applications.CardShareCode": PersonalData("cards[].share_codes", erased=False, reason=_CARD_KEPT),
    "applications.CardCheck": PersonalData("cards[].checks", erased=False, reason=_CARD_KEPT),
    "applications.CardAddress": PersonalData("cards[].addresses", erased=False, reason=_CARD_KEPT),
    "applications.CardEmployer": PersonalData("cards[].employers", erased=False, reason=_CARD_KEPT),
    # Job offers and employment reported by employers (applications/employers/): records of the
    # case and of the card, kept like the card.
    "employers.JobOffer": PersonalData(
        "",
        erased=True,
        reason="not exported yet: the named employer is in the exported answers; deleted with its application",
    ),
    "employers.Employment": PersonalData("", erased=False, reason=_CARD_KEPT),
    # Entries and exits of a card holder (applications/stay/), imported or declared.
    "stay.BorderRecord": PersonalData("border_records", erased=False, reason=_CARD_KEPT),
    "portal_api.ApiToken": PersonalData("api_tokens", erased=False, reason=_PER_ACCOUNT),
    "applications.PhoneNumber": PersonalData("phone", erased=False, reason=_PER_ACCOUNT),
    "otp_totp.TOTPDevice": PersonalData("two_factor_devices", erased=False, reason=_PER_ACCOUNT),
    "otp_static.StaticDevice": PersonalData("two_factor_devices", erased=False, reason=_PER_ACCOUNT),
    "otp_static.StaticToken": PersonalData(
        "", erased=False, reason="secret recovery codes: never exported (their device is); per account"
    ),
    "portal_api.IdempotencyRecord": PersonalData(
        "",
        erased=False,
        reason="a copy of API responses already in the export, deleted after a day (portal/api/idempotency.py)",
    ),
}
# Models that point at a user only as the staff member who did the work; not data about an
# applicant, and the rows below them (factors, bands...) are configuration.
NOT_PERSONAL: dict[str, str] = {
    "admin.LogEntry": "the Django admin's record of a staff member's own changes to configuration",
    "eligibility.CriteriaSet": "configuration; created_by names the staff author",
    "eligibility.ImpactReport": "configuration analysis; requested_by names the staff author",
    "eligibility.AllocationRound": "configuration; created_by names the staff author",
    "applications.Queue": "staff membership of work queues (configuration)",
    "audit.AuditVerification": "a check of the audit chain; requested_by names the auditor who asked for it",
    "stay.BorderImport": "one import of a border-service file; its rows about people are stay.BorderRecord",
    "labour_market.LabourMarketImport": "aggregate labour-market data; imported_by names the staff author",
    "labour_market.ShortageModel": "configuration; created_by names the staff author",
    "labour_market.RatingProposal": "configuration; proposed_by, submitted_by and approved_by name staff authors",
    "labour_market.ProposalRow": "configuration; edited_by names the staff author of a change",
    "labour_market.QuotaProposal": "configuration; proposed_by, submitted_by and approved_by name staff authors",
    "labour_market.QuotaProposalRow": "configuration; edited_by names the staff author of a change",
    "analytics.StageClock": (
        "when the case entered its current state, for the aggregate counters: the same fact is in the "
        "exported history, and the row is deleted with the application (cascade)"
    ),
    "forecasts.ForecastRun": "aggregate forecasts of submissions; triggered_by names the staff member who asked",
    "forecasts.Forecast": "aggregate forecast of one series (counts per week), no person in it",
    "forecasts.ForecastPoint": "one week of an aggregate forecast, no person in it",
    "employers.Employer": (
        "an organisation (legal name, BIN, regions: public-register data); contact is the account that "
        "speaks for it, exported as that account, and decided_by the criteria admin"
    ),
}


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]+", "_", display_name(name), flags=re.UNICODE).strip(" .") or "file"
    return cleaned[:120]


def _staff_or_you(user_id: int | None, owner_id: int) -> str:
    # The applicant's own history as they may know it: staff stay unnamed.
    return "you" if user_id == owner_id else ("staff" if user_id else "system")


def _application_data(application: Application) -> dict[str, Any]:
    owner_id = application.owner_id
    return {
        "id": application.pk,
        "reference": application.reference,
        "product": application.product,
        "state": application.state,
        "track": application.track,
        "answers": application.answers,
        "applicant_name": application.applicant_name,
        "passport_number": application.passport_number,
        "region": str(application.region) if application.region_id else None,
        "sector": application.sector,
        "occupation_code": application.occupation_code,
        "score": application.score,
        "passes": application.passes,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "documents": [
            {
                "id": doc.pk,
                "kind": doc.kind,
                "original_name": doc.display_name,
                "size": doc.size,
                "sha256": doc.sha256,
                "detected_type": doc.detected_type,
                "status": doc.status,
                "rejection_code": doc.rejection_code,
                "uploaded_at": doc.created_at,
                # What the MRZ reader read from a passport scan is data held about the person.
                "machine_readable_zone": doc.mrz,
            }
            for doc in application.documents.all()
        ],
        "requests_for_information": [
            {
                "requested_at": rfi.created_at,
                "text": rfi.text,
                "document_kinds": rfi.document_kinds,
                "deadline": rfi.deadline,
                "reply_text": rfi.reply_text,
                "replied_at": rfi.replied_at,
            }
            for rfi in RequestForInformation.objects.filter(application=application).order_by("pk")
        ],
        "decisions": [
            {
                "recommendation": decision.recommendation,
                "outcome": decision.outcome,
                "reasons": decision.text,
                "legal_grounds": [ground.code for ground in decision.grounds.all()],
                "recommended_at": decision.recommended_at,
                "confirmed_at": decision.confirmed_at,
            }
            for decision in Decision.objects.filter(application=application).prefetch_related("grounds").order_by("pk")
        ],
        "reviews": [
            {
                "requested_at": review.requested_at,
                "grounds": review.grounds,
                "documents": [doc.pk for doc in review.documents.all()],
                "due_at": review.due_at,
                "outcome": review.outcome,
                "reasons": review.outcome_reason,
                "decided_at": review.decided_at,
            }
            for review in AdministrativeReview.objects.filter(application=application)
            .prefetch_related("documents")
            .order_by("pk")
        ],
        "case_notes": [
            {"written_at": note.created_at, "text": note.text}
            for note in CaseNote.objects.filter(application=application).order_by("pk")
        ],
        "history": [
            {
                "time": event.created_at,
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "by": _staff_or_you(event.actor_id, owner_id),
            }
            for event in AuditEvent.objects.filter(application=application).order_by("id")
        ],
    }


def _card_data(card: IssuedCard) -> dict[str, Any]:
    return {
        "number": card.number,
        "product": card.product,
        "application_id": card.application_id,
        "holder_name": card.holder_name,
        "date_of_birth": card.date_of_birth,
        "valid_from": card.valid_from,
        "valid_until": card.valid_until,
        "permitted_regions": [region.code for region in card.permitted_regions.all()],
        "citizenship_eligible_on": card.citizenship_eligible_on,
        "status": card.status,
        "revoked_at": card.revoked_at,
        "revocation_reason": card.revocation_reason,
        "issued_at": card.issued_at,
        "share_codes": [
            {
                "code": share.code,
                "purpose": share.purpose,
                "created_at": share.created_at,
                "expires_at": share.expires_at,
                "withdrawn_at": share.withdrawn_at,
            }
            for share in card.share_codes.order_by("pk")
        ],
        # Who checked the card, as they gave their name; their network address is theirs, not the holder's.
        "checks": [
            {"checked_at": check.checked_at, "checker": check.checker, "outcome": check.outcome}
            for check in card.checks.order_by("pk")
        ],
        "addresses": [
            {
                "region": address.region_id,
                "address": address.address,
                "registered_on": address.registered_on,
                "reported_at": address.created_at,
            }
            for address in card.addresses.order_by("pk")
        ],
        "employers": [
            {
                "employer_name": employer.employer_name,
                "employer_bin": employer.employer_bin,
                "position": employer.position,
                "started_on": employer.started_on,
                "reported_at": employer.created_at,
            }
            for employer in card.employers.order_by("pk")
        ],
    }


def _account_security_data(user) -> dict[str, Any]:
    """API tokens, the phone number and second-factor devices: metadata only, never a secret or a digest."""
    return {
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "expires_at": token.expires_at,
                "revoked_at": token.revoked_at,
            }
            for token in ApiToken.objects.filter(user=user).order_by("pk")
        ],
        # The number only: the code's hash is a secret, like a token's digest.
        "phone": [
            {"number": phone.number, "verified_at": phone.verified_at, "number_being_verified": phone.pending_number}
            for phone in PhoneNumber.objects.filter(user=user)
        ],
        "two_factor_devices": [
            {"kind": kind, "name": device.name, "confirmed": device.confirmed}
            for kind, model in (("authenticator", TOTPDevice), ("recovery_codes", StaticDevice))
            for device in model.objects.filter(user=user).order_by("pk")
        ],
    }


def applicant_data(user) -> dict[str, Any]:
    """Everything the portal holds about ``user`` (PERSONAL_DATA), as JSON-ready data."""
    applications = list(
        Application.objects.filter(owner=user)
        .select_related("region", "scoring")
        .prefetch_related("documents")
        .order_by("pk")
    )
    cards = IssuedCard.objects.filter(holder=user).prefetch_related("permitted_regions").order_by("pk")
    return {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
            "email_verified_at": user.email_verified_at,
            "last_login": user.last_login,
        },
        "applications": [_application_data(app) for app in applications],
        "cards": [_card_data(card) for card in cards],
        "notifications": [
            {
                "kind": n.kind,
                "channel": n.channel,
                "status": n.status,
                "application_id": n.application_id,
                "created_at": n.created_at,
                "sent_at": n.sent_at,
                "read_at": n.read_at,
                "payload": n.payload,
            }
            for n in Notification.objects.filter(recipient=user).order_by("pk")
        ],
        "border_records": [
            {
                "card": r.card.number,
                "direction": r.direction,
                "crossed_on": r.crossed_on,
                "crossing_point": r.crossing_point,
                "source": r.source,
                "recorded_at": r.created_at,
            }
            for r in BorderRecord.objects.filter(holder=user).select_related("card").order_by("crossed_on", "pk")
        ],
        **_account_security_data(user),
    }


def applicant_data_export(user) -> tempfile.SpooledTemporaryFile:
    """A zip of data.json (``applicant_data``) and every file they uploaded.

    Returned rewound, as a temporary file (spills to disk past 20 MB).
    """
    data = applicant_data(user)
    documents = Document.objects.filter(application__owner=user).order_by("application_id", "pk")
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
        )
        for doc in documents:
            if not doc.file:
                continue
            arcname = f"files/application-{doc.application_id}/{doc.pk}-{_safe_name(doc.original_name)}"
            try:
                with doc.file.open("rb") as source, archive.open(arcname, "w") as target:
                    for chunk in iter(lambda s=source: s.read(1024 * 1024), b""):
                        target.write(chunk)
            except FileNotFoundError:
                archive.writestr(arcname + ".missing.txt", "The stored file could not be found.")
    out.seek(0)
    return out


def document_files(document: Document) -> list[FieldFile]:
    """Every stored file of a document: the upload, its sanitised copy and its thumbnail."""
    return [stored for stored in (document.file, document.sanitised_file, document.thumbnail) if stored]


def application_erase(*, application: Application, actor: Any, reason: str, ip_address: str | None = None) -> None:
    """Erase a draft or withdrawn application with its documents, files and notifications.

    One "application_erased" audit row records what was erased and why; earlier audit rows
    stay (their link to the application row becomes empty; object_id still names it).
    Requests for information, decisions, notes, the score and notifications go with the
    application row (their foreign keys cascade); every file of every document is removed
    once the transaction has committed.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in ERASABLE_STATES:
            raise ErasureRefused(application.state)
        documents = list(Document.objects.filter(application=application))
        files = [(stored.storage, stored.name) for doc in documents for stored in document_files(doc)]
        Document.objects.filter(application=application).delete()
        audit_record(
            actor=actor,
            action="application_erased",
            obj=application,
            from_state=application.state,
            reason=reason,
            snapshot={
                "reference": application.reference,
                "product": application.product,
                "created_at": application.created_at.isoformat(),
                "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
                "documents_erased": len(documents),
            },
            ip_address=ip_address,
        )
        application.delete()
        # Files go only once the rows are surely gone.
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        with contextlib.suppress(OSError):  # already gone; nothing else refers to it
            storage.delete(name)


def retention_enforce(*, now=None) -> dict[str, int]:
    """Apply the retention periods in settings (docs/privacy.md); return what was removed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    counts = {"drafts": 0, "withdrawn": 0, "notifications": 0, "login_records": 0}
    stale = {
        "drafts": (State.DRAFT, now - timedelta(days=settings.RETENTION_DRAFT_DAYS)),
        "withdrawn": (State.WITHDRAWN, now - timedelta(days=settings.RETENTION_WITHDRAWN_DAYS)),
    }
    for key, (state, cutoff) in stale.items():
        for application in Application.objects.filter(state=state, updated_at__lt=cutoff).only("pk")[:500]:
            try:
                application_erase(application=application, actor=None, reason="retention period ended")
            except ErasureRefused:
                continue  # changed state meanwhile
            counts[key] += 1
    notification_cutoff = now - timedelta(days=settings.RETENTION_NOTIFICATION_DAYS)
    counts["notifications"], _ = Notification.objects.filter(
        status=Notification.Status.SENT, created_at__lt=notification_cutoff
    ).delete()
    login_cutoff = now - timedelta(days=settings.RETENTION_LOGIN_ATTEMPT_DAYS)
    for model, field in (
        (AccessAttempt, "attempt_time"),
        (AccessLog, "attempt_time"),
        (AccessFailureLog, "attempt_time"),
    ):
        deleted, _ = model.objects.filter(**{f"{field}__lt": login_cutoff}).delete()
        counts["login_records"] += deleted
    return counts


def export_filename(user) -> str:
    return f"my-data-{timezone.now():%Y%m%d}.zip"
