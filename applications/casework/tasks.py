"""Periodic casework tasks (scheduled by beat, see settings CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="applications.casework_sla_escalate")
def casework_sla_escalate() -> int:
    """Escalate cases past their SLA deadline to their queue's seniors (outbox notifications)."""
    from applications.casework.services import sla_escalate

    return sla_escalate()


@shared_task(name="applications.casework_rfi_reminders")
def casework_rfi_reminders() -> int:
    """Remind applicants of requests for information whose reply-by date is near (outbox)."""
    from applications.casework.services import rfi_reminders_send

    return rfi_reminders_send()
