"""Celery tasks of the case: they take ids and are safe to run twice."""

from datetime import timedelta

from celery import shared_task

from applications.notifications import NotificationSendError


@shared_task(
    name="applications.notification_send",
    autoretry_for=(NotificationSendError, OSError, ConnectionError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=7,
    # Fire and forget: the outbox row is the record. Without this, publishing also
    # subscribes to the Redis result channel, which blocks and then raises when Redis is
    # down, instead of failing fast and leaving the row to the sweep.
    ignore_result=True,
)
def notification_send(notification_id: int) -> bool:
    """Send one outbox e-mail (a no-op when it was already sent)."""
    from applications.notifications import notification_deliver

    return notification_deliver(notification_id=notification_id)


@shared_task(name="applications.notification_sweep", ignore_result=True)
def notification_sweep(older_than_seconds: int = 120) -> int:
    """Re-queue e-mails still pending (broker was down, worker died) or due a retry."""
    from applications.notifications import notifications_due
    from portal.queueing import enqueue

    ids = notifications_due(older_than=timedelta(seconds=older_than_seconds))
    for pk in ids:
        enqueue(notification_send, pk)
    return len(ids)


@shared_task(name="applications.card_expiry_reminders", ignore_result=True)
def card_expiry_reminders() -> int:
    """Beat task: mark cards past their last day expired, remind holders 90 and 30 days ahead."""
    from applications.cards.services import card_expiry_reminders_send, cards_expire_due

    cards_expire_due()
    return card_expiry_reminders_send()


@shared_task(name="applications.card_issue", ignore_result=True)
def card_issue_task(application_id: int) -> None:
    """Issue the card of an approved application (idempotent: an existing card is kept)."""
    from applications.cards.services import card_issue

    card_issue(application=application_id)


@shared_task(name="applications.card_issue_sweep", ignore_result=True)
def card_issue_sweep() -> int:
    """Beat task: issue cards for approved applications left without one."""
    from applications.cards.services import cards_issue_missing

    return cards_issue_missing()


@shared_task(name="applications.draft_expiry_sweep")
def draft_expiry_sweep() -> dict:
    """Beat task: reminders a week before drafts expire, and deletion of expired drafts."""
    from applications.services import drafts_expiry_sweep

    return drafts_expiry_sweep()


# The document pipeline's tasks live with it; importing them here lets autodiscovery find them.
from applications.documents.tasks import document_process_task, document_sweep  # noqa: E402, F401
