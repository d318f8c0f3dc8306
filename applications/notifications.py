"""The notification outbox: write rows with the event, deliver them from a task."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.models import Application, Notification

logger = logging.getLogger(__name__)


def recipient_language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def notification_create(
    *,
    recipient,
    kind: str,
    event_key: str,
    application: Application | None = None,
    payload: dict | None = None,
) -> list[Notification]:
    """Write the e-mail and in-app rows for one event, and queue the e-mail after commit.

    ``event_key`` identifies the event (e.g. the audit event id): the same event never
    produces two rows, so a retried caller cannot notify twice.
    """
    from applications.tasks import notification_send
    from portal.queueing import enqueue_on_commit

    created = []
    for channel in (Notification.Channel.EMAIL, Notification.Channel.IN_APP):
        key = f"{kind}:{event_key}:{recipient.pk}:{channel}"
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    recipient=recipient,
                    application=application,
                    kind=kind,
                    language=recipient_language(recipient),
                    channel=channel,
                    payload=payload or {},
                    idempotency_key=key,
                    # In-app rows are "delivered" by being there.
                    status=Notification.Status.SENT
                    if channel == Notification.Channel.IN_APP
                    else Notification.Status.PENDING,
                    sent_at=timezone.now() if channel == Notification.Channel.IN_APP else None,
                )
        except IntegrityError:
            continue
        created.append(row)
        if channel == Notification.Channel.EMAIL:
            enqueue_on_commit(notification_send, row.pk)
    return created


def _render(template: str, context: dict) -> str | None:
    try:
        return render_to_string(template, context)
    except TemplateDoesNotExist:
        return None


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending e-mail notification; a no-op if it was already sent.

    The row is locked while sending so two workers handed the same id (a redelivery after
    a worker died) cannot both send it.
    """
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "application")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if row is None:
            return False
        with translation.override(row.language):
            context = {"notification": row, "user": row.recipient, "application": row.application, **row.payload}
            subject = _render(f"emails/{row.kind}.subject.txt", context) or _render(
                "emails/generic.subject.txt", context
            )
            body = _render(f"emails/{row.kind}.txt", context) or _render("emails/generic.txt", context)
            html = _render(f"emails/{row.kind}.html", context)
        message = EmailMultiAlternatives(
            subject=" ".join((subject or "").split()),
            body=body or "",
            to=[row.recipient.email],
            headers={"X-Portal-Notification": row.idempotency_key},
        )
        if html:
            message.attach_alternative(html, "text/html")
        row.attempts += 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
            row.last_error = str(exc)[:2000]
            row.save(update_fields=["attempts", "last_error"])
            raise
        row.status = Notification.Status.SENT
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return True
