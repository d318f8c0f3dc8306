"""The sealer's beat task (schedule: AUDIT_SEAL_INTERVAL, portal/settings/base.py)."""

from celery import shared_task

from portal.audit.seal import audit_seal
from portal.audit.verification import audit_verification_run


@shared_task(name="audit.seal", ignore_result=True)
def audit_seal_task() -> int:
    """Seal what can be sealed now. Safe to run twice or at once: a second sealer is skipped."""
    return audit_seal().sealed


@shared_task(name="audit.verify", ignore_result=True)
def audit_verify_task(run_id: int) -> str:
    """Check the chain for a run requested on the verification page; safe to run twice."""
    run = audit_verification_run(run_id)
    return run.status if run is not None else "skipped"
