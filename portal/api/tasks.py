"""Periodic housekeeping of the API's tables."""

from celery import shared_task


@shared_task(name="portal_api.idempotency_purge", ignore_result=True)
def idempotency_purge() -> int:
    """Beat task: drop stored Idempotency-Key results past their retention (safe to run twice)."""
    from portal.api.idempotency import idempotency_records_purge

    return idempotency_records_purge()
