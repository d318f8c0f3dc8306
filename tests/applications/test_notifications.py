from django.core import mail

from applications.models import Notification
from applications.notifications import notification_create, notification_deliver
from tests.applications.factories import ApplicationFactory


def test_outbox_rows_are_written_once_per_event_and_channel(applicant):
    app = ApplicationFactory(owner=applicant)
    first = notification_create(recipient=applicant, kind="application_submitted", event_key="e1", application=app)
    again = notification_create(recipient=applicant, kind="application_submitted", event_key="e1", application=app)
    assert len(first) == 2 and again == []
    assert Notification.objects.count() == 2


def test_delivery_sends_one_email_in_the_recipients_language_and_is_idempotent(applicant):
    applicant.preferred_language = "ru"
    applicant.save()
    app = ApplicationFactory(owner=applicant, reference="KC-2026-000007")
    rows = notification_create(recipient=applicant, kind="application_submitted", event_key="e2", application=app)
    email_row = next(r for r in rows if r.channel == Notification.Channel.EMAIL)
    assert notification_deliver(notification_id=email_row.pk) is True
    assert notification_deliver(notification_id=email_row.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Заявление KC-2026-000007 получено"
    email_row.refresh_from_db()
    assert email_row.status == Notification.Status.SENT and email_row.attempts == 1
