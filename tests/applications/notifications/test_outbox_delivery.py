"""Outbox rows, their e-mails in the recipient's language, retries with backoff."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import Notification
from applications.notifications import KINDS, notification_create, notification_deliver, notifications_due
from applications.tasks import notification_sweep
from applications.workflow import application_transition
from tests.applications.notifications.conftest import free_port

pytestmark = pytest.mark.django_db


def email_row(application, kind="application_submitted") -> Notification:
    return Notification.objects.get(application=application, kind=kind, channel=Notification.Channel.EMAIL)


@pytest.mark.parametrize(("language", "greeting"), [("kk", "Сәлеметсіз бе"), ("ru", "Здравствуйте"), ("en", "Hello")])
def test_submission_e_mail_is_sent_once_in_the_recipients_language_as_text_and_html(
    draft, applicant, language, greeting
):
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    application_transition(application=draft, action="submit", actor=applicant)
    row = email_row(draft)
    mail.outbox.clear()
    assert notification_deliver(notification_id=row.pk) is True
    assert notification_deliver(notification_id=row.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert greeting in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert greeting in html and f'lang="{language}"' in html
    assert message.extra_headers["X-Portal-Notification"] == row.idempotency_key


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_subject_text_and_html_template(applicant, draft, kind):
    (row, _inapp) = notification_create(
        recipient=applicant,
        kind=kind,
        event_key="t1",
        application=draft,
        payload={"to_state": "approved", "card_number": "KC2600000197", "valid_until": "2029-01-01", "days": 30},
    )
    mail.outbox.clear()
    assert notification_deliver(notification_id=row.pk)
    message = mail.outbox[0]
    assert message.subject and "\n" not in message.subject
    assert "{%" not in message.body and "{{" not in message.body
    assert message.alternatives and "<html" in message.alternatives[0][0]


def test_the_same_event_never_creates_a_second_row(applicant, draft):
    first = notification_create(recipient=applicant, kind="review_started", event_key="e1", application=draft)
    again = notification_create(recipient=applicant, kind="review_started", event_key="e1", application=draft)
    assert len(first) == 2 and again == []


def test_transport_failure_is_recorded_with_backoff_and_the_row_stays_pending(settings, applicant, draft):
    # A real SMTP connection to a port nobody listens on.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    (row, _inapp) = notification_create(recipient=applicant, kind="review_started", event_key="e2", application=draft)
    before = timezone.now()
    with pytest.raises(Exception, match="Connection refused|refused"):
        notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 1 and "refused" in row.last_error.lower()
    assert row.next_attempt_at >= before + timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS)
    # Not due again until the backoff has passed.
    assert row.pk not in notifications_due(older_than=timedelta(0))


def test_after_the_last_allowed_attempt_the_row_is_marked_failed(settings, applicant, draft):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    (row, _inapp) = notification_create(recipient=applicant, kind="review_started", event_key="e3", application=draft)
    with pytest.raises(Exception, match="refused"):
        notification_deliver(notification_id=row.pk)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
    assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and row.attempts == 2


def test_sweep_sends_pending_rows_older_than_the_cutoff_and_nothing_else(applicant, draft):
    # Tasks run eagerly in this suite (CELERY_TASK_ALWAYS_EAGER=1), so the sweep sends here.
    # Eager apply_async still borrows a kombu producer; start from fresh pools, as a worker
    # test earlier in the run once left a closed one behind ("Acquire on closed pool").
    from portal.celery import app
    from tests.services import _reset_connections

    _reset_connections(app)
    (old, _inapp) = notification_create(recipient=applicant, kind="review_started", event_key="old", application=draft)
    (new, _inapp2) = notification_create(recipient=applicant, kind="decision_made", event_key="new", application=draft)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    mail.outbox.clear()
    assert notification_sweep(older_than_seconds=120) == 1
    assert [m.extra_headers["X-Portal-Notification"] for m in mail.outbox] == [old.idempotency_key]
    new.refresh_from_db()
    assert new.status == Notification.Status.PENDING


def test_beat_schedule_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notification-sweep"]
    assert entry["task"] == "applications.notification_sweep" and entry["schedule"] == 60.0
