"""The notification outbox: write rows with the event, deliver them from a task.

Each event makes an e-mail row, an in-app row and, when the recipient has a verified phone
number (applications/sms), an SMS row; e-mail and SMS rows go through the same delivery,
retries and sweep.

Delivery guarantees: the row is committed with the event (so a dead broker loses nothing),
the e-mail task is queued after commit and the beat sweep re-queues what the broker lost.
A row is sent at most once: delivery locks it, re-checks it is still pending, sends, and
marks it sent in the same transaction. (If the SMTP server accepts a message and the
database then dies before the commit, the next attempt sends it again; no outbox can rule
that out without the mail server's help, and the ``X-Portal-Notification`` header lets a
mail system drop such a duplicate.)
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.models import Application, Notification
from applications.sms.backends import SmsRejected
from applications.sms.selectors import verified_number
from applications.sms.services import SmsNotDeliverable, sms_notification_send
from portal.display import greeting_name
from portal.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)

# The kinds the portal sends; each has templates/emails/<kind>.subject.txt, .txt and .html.
KINDS = (
    "application_submitted",
    "review_started",
    "information_requested",
    # A request for information's reply-by date is near (applications.casework.services).
    "information_reminder",
    "decision_made",
    "card_issued",
    "card_revoked",
    "application_withdrawn",
    # Administrative review of a refusal (applications/reviews.py).
    "review_requested",
    "review_decided",
    "review_withdrawn",
    "document_rejected",
    "expiry_coming",
    "draft_expiring",
    # Staff accounts: an authenticator or the recovery codes changed (portal.twofactor).
    "second_factor_changed",
    # The holder's stay (applications.stay.services): first address due, citizenship eligibility.
    "address_report_due",
    "citizenship_eligible",
    # Employers (applications/employers/services.py): verified or refused by a criteria admin.
    "employer_decided",
    # Job offers and employment (applications/employers/services.py): the employer is asked to
    # confirm an offer; the applicant hears the answer; the holder hears the employer's reports
    # and, after an end of employment, is reminded to name a new employer.
    "offer_requested",
    "offer_decided",
    "employment_reported",
    "employment_ended",
    "new_employer_due",
)


# Channels delivered by the task (in-app rows are delivered by being written).
SENT_CHANNELS = (Notification.Channel.EMAIL, Notification.Channel.SMS)


def recipient_language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after ``attempts`` failed sends: 1, 2, 4 ... minutes, capped."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_SECONDS))


def notification_create(
    *,
    recipient,
    kind: str,
    event_key: str,
    application: Application | None = None,
    payload: dict | None = None,
) -> list[Notification]:
    """Write the e-mail, in-app and (verified phone) SMS rows for one event; queue sending after commit.

    ``event_key`` identifies the event (e.g. the audit event id): the same event never
    produces two rows, so a retried caller cannot notify twice.
    """
    created = []
    channels = [Notification.Channel.EMAIL, Notification.Channel.IN_APP]
    # Only a number the recipient verified with a code receives SMS.
    if verified_number(recipient.pk):
        channels.append(Notification.Channel.SMS)
    for channel in channels:
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
        if channel in SENT_CHANNELS:
            enqueue_on_commit("applications.notification_send", row.pk)
    return created


def _render(template: str, context: dict) -> str | None:
    try:
        return render_to_string(template, context)
    except TemplateDoesNotExist:
        return None


def notification_message(row: Notification) -> EmailMultiAlternatives:
    """The e-mail for one outbox row, text and HTML, in the recipient's language."""
    site = settings.NOTIFICATION_SITE_URL.rstrip("/")
    with translation.override(row.language):
        context = {
            "notification": row,
            "user": row.recipient,
            "greeting_name": greeting_name(row.recipient, row.application),
            "application": row.application,
            "site_url": site,
            "payload": row.payload,
            **row.payload,
        }
        subject = _render(f"emails/{row.kind}.subject.txt", context) or _render("emails/generic.subject.txt", context)
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
    return message


def _send(row: Notification) -> None:
    if row.channel == Notification.Channel.SMS:
        sms_notification_send(row)
    else:
        notification_message(row).send()


def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending e-mail or SMS notification; a no-op if it was already sent.

    The row is locked while sending so two workers handed the same id (a redelivery after
    a worker died, or the sweep re-queueing a slow task) cannot both send it. A failure is
    recorded with the time of the next attempt (exponential backoff) and re-raised so the
    task retries; after NOTIFICATION_MAX_ATTEMPTS the row is marked failed for staff to see.
    """
    failure: Exception | None = None
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "application")
            .filter(pk=notification_id, status=Notification.Status.PENDING, channel__in=SENT_CHANNELS)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        try:
            _send(row)
        except (SmsNotDeliverable, SmsRejected) as exc:
            # The number was removed after the event, or the provider refused it for good.
            row.status = Notification.Status.FAILED
            row.last_error = str(exc)
            row.next_attempt_at = None
            row.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
        except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                row.status = Notification.Status.FAILED
                row.next_attempt_at = None
                logger.error("notification %s failed for good after %s attempts: %s", row.pk, row.attempts, exc)
            else:
                row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
                failure = exc
            row.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
        else:
            row.status = Notification.Status.SENT
            row.sent_at = timezone.now()
            row.last_error = ""
            row.next_attempt_at = None
            row.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    # Raised after the commit, so the attempt is recorded; the task retries with backoff.
    if failure is not None:
        raise NotificationSendError(str(failure)) from failure
    return row.status == Notification.Status.SENT


class NotificationSendError(Exception):
    """The mail transport or the SMS provider refused or failed; the task retries with backoff."""


def notifications_due(*, older_than: timedelta, limit: int = 1000) -> list[int]:
    """Ids of e-mails and SMS still pending whose task was lost (broker down, worker died) or whose retry is due."""
    now = timezone.now()
    rows = Notification.objects.filter(
        status=Notification.Status.PENDING,
        channel__in=SENT_CHANNELS,
        created_at__lt=now - older_than,
    ).exclude(next_attempt_at__gt=now)
    return list(rows.order_by("created_at").values_list("pk", flat=True)[:limit])
