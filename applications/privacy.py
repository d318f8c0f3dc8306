"""Applicants' data rights: export everything about them, erase drafts and withdrawn cases.

Erasure keeps only the minimal audit record (docs/privacy.md): the trail's existing rows
(actor, action, object reference, time, states, reason) and one "application_erased"
row naming what was erased; answers, documents and notifications are gone.
"""

import contextlib
import json
import re
import tempfile
import zipfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from applications.audit import audit_record
from applications.models import Application, AuditEvent, Document, Notification
from applications.states import ERASABLE_STATES, State


class ErasureRefused(Exception):
    """The application is not in a state that may be erased (submitted cases are evidence)."""


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]+", "_", name, flags=re.UNICODE).strip(" .") or "file"
    return cleaned[:120]


def _application_data(application: Application) -> dict[str, Any]:
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
                "original_name": doc.original_name,
                "size": doc.size,
                "sha256": doc.sha256,
                "status": doc.status,
                "uploaded_at": doc.created_at,
            }
            for doc in application.documents.all()
        ],
        # The history of the case as the applicant may know it; staff stay unnamed.
        "history": [
            {
                "time": event.created_at,
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "by": "you" if event.actor_id == application.owner_id else ("staff" if event.actor_id else "system"),
            }
            for event in AuditEvent.objects.filter(application=application).order_by("id")
        ],
    }


def applicant_data_export(user) -> tempfile.SpooledTemporaryFile:
    """A zip of data.json (account, applications, notifications) and every uploaded file.

    Returned rewound, as a temporary file (spills to disk past 20 MB).
    """
    applications = list(
        Application.objects.filter(owner=user)
        .select_related("region", "scoring")
        .prefetch_related("documents")
        .order_by("pk")
    )
    data = {
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
        "notifications": [
            {"kind": n.kind, "channel": n.channel, "status": n.status, "created_at": n.created_at, "payload": n.payload}
            for n in Notification.objects.filter(recipient=user).order_by("pk")
        ],
    }
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
        )
        for app in applications:
            for doc in app.documents.all():
                if not doc.file:
                    continue
                arcname = f"files/application-{app.pk}/{doc.pk}-{_safe_name(doc.original_name)}"
                try:
                    with doc.file.open("rb") as source, archive.open(arcname, "w") as target:
                        for chunk in iter(lambda s=source: s.read(1024 * 1024), b""):
                            target.write(chunk)
                except FileNotFoundError:
                    archive.writestr(arcname + ".missing.txt", "The stored file could not be found.")
    out.seek(0)
    return out


def application_erase(*, application: Application, actor: Any, reason: str, ip_address: str | None = None) -> None:
    """Erase a draft or withdrawn application with its documents, files and notifications.

    One "application_erased" audit row records what was erased and why; earlier audit rows
    stay (their link to the application row becomes empty; object_id still names it).
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state not in ERASABLE_STATES:
            raise ErasureRefused(application.state)
        documents = list(Document.objects.filter(application=application))
        files = [doc.file for doc in documents if doc.file]
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


def _delete_files(files) -> None:
    for stored in files:
        with contextlib.suppress(OSError):  # already gone; nothing else refers to it
            stored.storage.delete(stored.name)


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
