"""Verifying the audit chain from the auditor's page (issue 16): request a run, run it as a
task, keep the result. The check itself is ``portal.audit.verify.audit_verify``, the same one
``manage.py verify_audit`` runs."""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit.models import AuditVerification
from portal.audit.record import audit_record
from portal.audit.seal import audit_seal
from portal.audit.verify import audit_verify
from portal.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

# The page lists this many problems; the first ones say where the trail was changed.
PROBLEM_LIMIT = 100

# The checker's problem kinds (portal/audit/verify.py ChainProblem.kind) in words.
PROBLEM_LABELS = {
    "checkpoint_file": _("The checkpoint file was changed or cannot be read."),
    "missing": _("Entries are missing from the chain."),
    "broken_link": _("The link to the previous entry is broken: entries were reordered or inserted."),
    "changed": _("The entry was changed after it was written."),
    "checkpoint_differs": _("The entry differs from the signed checkpoint: the trail was rewritten."),
    "truncated": _("The newest entries were removed."),
    "no_checkpoint": _("No signed checkpoint covers the trail."),
    "sealed_outside": _("The entry was sealed outside the chain."),
}


def problem_label(kind: str) -> str:
    return str(PROBLEM_LABELS.get(kind, _("Unknown problem.")))


@transaction.atomic
def audit_verification_request(*, actor: Any, ip_address: str | None = None) -> AuditVerification:
    """Record a run, audit the request and queue the check after commit."""
    run = AuditVerification.objects.create(requested_by=actor)
    audit_record(actor=actor, action="audit.verify", obj=run, ip_address=ip_address)
    enqueue_on_commit("audit.verify", run.pk)
    return run


def audit_verification_run(run_id: int) -> AuditVerification | None:
    """Run a requested check once: a second delivery of the task finds it taken and stops."""
    taken = AuditVerification.objects.filter(pk=run_id, status=AuditVerification.Status.PENDING).update(
        status=AuditVerification.Status.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return None
    run = AuditVerification.objects.get(pk=run_id)
    try:
        # As verify_audit does by default: seal what is pending, then check the whole chain.
        audit_seal()
        report = audit_verify(limit=PROBLEM_LIMIT)
    except Exception as exc:  # the run must end in a state the page can show, whatever failed
        logger.exception("audit verification %s failed", run_id)
        run.status, run.error = AuditVerification.Status.FAILED, f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    run.status = AuditVerification.Status.INTACT if report.intact else AuditVerification.Status.TAMPERED
    run.checked, run.head_seq, run.pending = report.checked, report.head_seq or None, report.pending
    run.oldest_pending_at, run.checkpoint_seq = report.oldest_pending_at, report.checkpoint_seq
    run.problems = [
        {"event": p.event_id, "kind": p.kind, "problem": p.problem} for p in report.problems[:PROBLEM_LIMIT]
    ]
    run.finished_at = timezone.now()
    run.save()
    return run
