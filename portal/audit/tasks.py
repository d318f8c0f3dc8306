"""The sealer's beat task (schedule: AUDIT_SEAL_INTERVAL, portal/settings/base.py)."""

from celery import shared_task

from portal.audit.seal import audit_seal


@shared_task(name="audit.seal", ignore_result=True)
def audit_seal_task() -> int:
    """Seal what can be sealed now. Safe to run twice or at once: a second sealer is skipped."""
    return audit_seal().sealed
