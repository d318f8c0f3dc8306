"""Celery tasks of the case: they take ids and are safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from applications.models import Notification


@shared_task(
    name="applications.notification_send",
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notification_send(notification_id: int) -> bool:
    from applications.notifications import notification_deliver

    return notification_deliver(notification_id=notification_id)


@shared_task(name="applications.notification_sweep")
def notification_sweep(older_than_seconds: int = 120) -> int:
    """Re-queue e-mails still pending (broker was down, worker died)."""
    from portal.queueing import enqueue

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, channel=Notification.Channel.EMAIL, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        enqueue(notification_send, pk)
    return len(ids)


@shared_task(name="applications.draft_expiry_sweep")
def draft_expiry_sweep() -> dict:
    """Beat task: reminders a week before drafts expire, and deletion of expired drafts."""
    from applications.services import drafts_expiry_sweep

    return drafts_expiry_sweep()


# The document pipeline's tasks live with it; importing them here lets autodiscovery find them.
from applications.documents.tasks import document_process_task, document_sweep  # noqa: E402, F401
