"""Every notification that goes by e-mail also goes by SMS to a verified number, once."""

import pytest

from applications.models import Notification, PhoneNumber
from applications.notifications import KINDS, NotificationSendError, notification_create, notification_deliver
from applications.sms.messages import notification_sms_text
from applications.sms.segments import sms_segments
from applications.sms.services import phone_code_send
from tests.applications.factories import ApplicationFactory
from tests.faults.harness import SmsProvider

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en", "uz", "zh-hans"]


def _sms_row(rows):
    return next(row for row in rows if row.channel == Notification.Channel.SMS)


def test_no_sms_row_without_a_verified_number(applicant, sms_outbox):
    # A number still waiting for its code does not count.
    phone_code_send(user=applicant, number_text="+77011234567")
    rows = notification_create(recipient=applicant, kind="application_submitted", event_key="e0")
    assert sorted(row.channel for row in rows) == ["email", "in_app"]


def test_a_verified_number_gets_one_sms_per_event_in_the_applicants_language(verified_applicant, sms_outbox):
    verified_applicant.preferred_language = "ru"
    verified_applicant.save()
    app = ApplicationFactory(owner=verified_applicant, reference="KC-2026-000007")
    rows = notification_create(recipient=verified_applicant, kind="decision_made", event_key="e1", application=app)
    again = notification_create(recipient=verified_applicant, kind="decision_made", event_key="e1", application=app)
    assert sorted(row.channel for row in rows) == ["email", "in_app", "sms"] and again == []
    sms = _sms_row(rows)
    codes = len(sms_outbox())
    # (The on-commit task does not run inside a test's transaction: deliver here, twice.)
    notification_deliver(notification_id=sms.pk)
    assert notification_deliver(notification_id=sms.pk) is False
    sent = sms_outbox()[codes:]
    assert len(sent) == 1
    assert sent[0]["to"] == "+77011234567"
    assert sent[0]["idempotency_key"] == sms.idempotency_key
    assert sent[0]["text"].startswith("По вашему заявлению принято решение (KC-2026-000007). Подробнее: ")
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT and sms.attempts == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_fits_the_segment_limit_in_every_language(applicant, settings, language):
    settings.NOTIFICATION_SITE_URL = "https://portal.example.kz"
    app = ApplicationFactory(owner=applicant, reference="KC-2026-000123")
    for kind in KINDS:
        row = Notification(recipient=applicant, application=app, kind=kind, language=language)
        text = notification_sms_text(row)
        assert "%(" not in text
        assert sms_segments(text).count <= settings.SMS_MAX_SEGMENTS, (kind, language, text)


def test_cyrillic_and_chinese_messages_are_ucs2(applicant):
    app = ApplicationFactory(owner=applicant, reference="KC-2026-000123")
    encodings = {}
    for language in ("kk", "ru", "zh-hans", "en"):
        row = Notification(recipient=applicant, application=app, kind="card_issued", language=language)
        encodings[language] = sms_segments(notification_sms_text(row)).encoding
    assert encodings == {"kk": "UCS-2", "ru": "UCS-2", "zh-hans": "UCS-2", "en": "GSM-7"}


def test_a_number_removed_after_the_event_gets_nothing(verified_applicant, sms_outbox):
    rows = notification_create(recipient=verified_applicant, kind="application_submitted", event_key="e3")
    PhoneNumber.objects.filter(user=verified_applicant).delete()
    codes = len(sms_outbox())
    sms = _sms_row(rows)
    assert notification_deliver(notification_id=sms.pk) is False
    sms.refresh_from_db()
    assert sms.status == Notification.Status.FAILED and sms.next_attempt_at is None
    assert len(sms_outbox()) == codes


@pytest.fixture
def provider(settings):
    server = SmsProvider()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = server.url
    settings.SMS_HTTP_TOKEN = server.token
    yield server
    server.close()


def test_the_http_provider_refuses_then_accepts_and_the_message_is_sent_once(verified_applicant, provider):
    rows = notification_create(recipient=verified_applicant, kind="card_issued", event_key="e4")
    sms = _sms_row(rows)
    # The on-commit task may have run already (eager tasks): start from a pending row.
    Notification.objects.filter(pk=sms.pk).update(status=Notification.Status.PENDING, attempts=0)
    provider.requests.clear()
    provider.accepted.clear()
    provider.refusing = True
    with pytest.raises(NotificationSendError):
        notification_deliver(notification_id=sms.pk)
    sms.refresh_from_db()
    assert sms.status == Notification.Status.PENDING and sms.attempts == 1 and "503" in sms.last_error
    assert sms.next_attempt_at is not None
    provider.refusing = False
    assert notification_deliver(notification_id=sms.pk) is True
    assert notification_deliver(notification_id=sms.pk) is False
    assert [request["key"] for request in provider.requests] == [sms.idempotency_key] * 2
    assert provider.requests[-1]["auth"] == f"Bearer {provider.token}"
    assert list(provider.accepted) == [sms.idempotency_key]


def test_a_message_the_provider_rejects_for_good_is_not_retried(verified_applicant, provider, settings):
    settings.SMS_HTTP_TOKEN = "wrong"
    rows = notification_create(recipient=verified_applicant, kind="card_issued", event_key="e5")
    sms = _sms_row(rows)
    Notification.objects.filter(pk=sms.pk).update(status=Notification.Status.PENDING, attempts=0)
    assert notification_deliver(notification_id=sms.pk) is False
    sms.refresh_from_db()
    assert sms.status == Notification.Status.FAILED and "401" in sms.last_error
