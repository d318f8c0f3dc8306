"""An applicant adds a phone number and confirms it with a code; the abuse limits hold."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import PhoneNumber
from applications.sms.phones import InvalidPhoneNumber, phone_normalise
from applications.sms.services import PhoneCodeRefused, phone_code_confirm, phone_code_send, phone_remove
from portal.audit.models import AuditEvent
from tests.applications.sms.conftest import code_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("8 701 123 45 67", "+77011234567"),
        ("+7 (701) 123-45-67", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("+998 90 123 45 67", "+998901234567"),
        ("+86 138 0013 8000", "+8613800138000"),
    ],
)
def test_numbers_are_read_as_people_type_them(typed, number):
    assert phone_normalise(typed) == number


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("12", "invalid"), ("not a number", "invalid"), ("+7 727 258 12 34", "not_mobile"), ("9" * 41, "invalid")],
)
def test_numbers_that_cannot_get_sms_are_refused(typed, reason):
    with pytest.raises(InvalidPhoneNumber) as refused:
        phone_normalise(typed)
    assert refused.value.reason == reason


def test_a_code_confirms_the_number_and_is_kept_only_as_a_hash(applicant, sms_outbox):
    applicant.preferred_language = "ru"
    applicant.save()
    phone_code_send(user=applicant, number_text="8 701 123 45 67")
    [message] = sms_outbox()
    code = code_in(message)
    assert message["to"] == "+77011234567"
    assert "Никому не сообщайте" in message["text"]
    row = PhoneNumber.objects.get(user=applicant)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert not row.is_verified
    phone_code_confirm(user=applicant, code=code)
    row.refresh_from_db()
    assert row.is_verified and row.number == "+77011234567"
    assert row.code_hash == "" and row.pending_number == ""
    actions = list(AuditEvent.objects.filter(object_id=str(row.pk)).values_list("action", "snapshot"))
    assert [action for action, _snapshot in actions] == ["phone.code_sent", "phone.verified"]
    assert all(code not in str(snapshot) and "1234567" not in str(snapshot) for _action, snapshot in actions)


def test_a_code_is_spent_once_verified(applicant, sms_outbox):
    phone_code_send(user=applicant, number_text="+77011234567")
    code = code_in(sms_outbox()[-1])
    phone_code_confirm(user=applicant, code=code)
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_confirm(user=applicant, code=code)
    assert refused.value.reason == "no_code"


def test_wrong_codes_are_counted_and_the_code_dies_after_the_limit(applicant, sms_outbox, settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    phone_code_send(user=applicant, number_text="+77011234567")
    code = code_in(sms_outbox()[-1])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    reasons = []
    for _attempt in range(3):
        with pytest.raises(PhoneCodeRefused) as refused:
            phone_code_confirm(user=applicant, code=wrong)
        reasons.append(refused.value.reason)
    assert reasons == ["wrong", "wrong", "too_many"]
    # The right code no longer helps: the guesses are used up.
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_confirm(user=applicant, code=code)
    assert refused.value.reason == "too_many"
    assert not PhoneNumber.objects.get(user=applicant).is_verified
    assert AuditEvent.objects.filter(action="phone.code_failed").count() == 4


def test_an_expired_code_is_refused(applicant, sms_outbox):
    phone_code_send(user=applicant, number_text="+77011234567")
    PhoneNumber.objects.filter(user=applicant).update(code_expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_confirm(user=applicant, code=code_in(sms_outbox()[-1]))
    assert refused.value.reason == "expired"


def test_a_new_code_waits_the_resend_interval(applicant, sms_outbox):
    phone_code_send(user=applicant, number_text="+77011234567")
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_send(user=applicant, number_text="+77011234567")
    assert refused.value.reason == "wait"
    assert len(sms_outbox()) == 1


def test_codes_per_hour_are_limited_per_account(applicant, sms_outbox, settings):
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_CODES_PER_HOUR = 2
    for number in ("+77011234567", "+77011234568"):
        phone_code_send(user=applicant, number_text=number)
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_send(user=applicant, number_text="+77011234569")
    assert refused.value.reason == "too_many"
    assert len(sms_outbox()) == 2
    # The refusal is in the audit trail (it was not rolled back with the exception).
    assert AuditEvent.objects.filter(action="phone.code_refused").count() == 1


def test_codes_per_hour_are_limited_per_number_across_accounts(applicant, stranger, sms_outbox, settings):
    """A script with many accounts still cannot text one stranger's phone all day."""
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_CODES_PER_HOUR = 1
    phone_code_send(user=applicant, number_text="+77011234567")
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_send(user=stranger, number_text="+77011234567")
    assert refused.value.reason == "too_many"
    assert len(sms_outbox()) == 1


def test_no_code_is_sent_when_the_rate_limit_cannot_count(applicant, sms_outbox, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: the counter is unavailable, so sending fails closed.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_send(user=applicant, number_text="+77011234567")
    assert refused.value.reason == "unavailable"
    assert sms_outbox() == []


def test_a_provider_failure_records_nothing_so_the_applicant_can_ask_again(applicant, settings, sms_outbox):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "http://127.0.0.1:1/messages"
    settings.SMS_HTTP_TIMEOUT_SECONDS = 1
    with pytest.raises(PhoneCodeRefused) as refused:
        phone_code_send(user=applicant, number_text="+77011234567")
    assert refused.value.reason == "send_failed"
    assert not PhoneNumber.objects.filter(user=applicant).exists()
    settings.SMS_BACKEND = "file"
    phone_code_send(user=applicant, number_text="+77011234567")
    assert len(sms_outbox()) == 1


def test_removing_the_number_is_audited(verified_applicant):
    assert phone_remove(user=verified_applicant) is True
    assert not PhoneNumber.objects.filter(user=verified_applicant).exists()
    assert AuditEvent.objects.filter(action="phone.removed").count() == 1
    assert phone_remove(user=verified_applicant) is False


# --- The pages -------------------------------------------------------------------------


def test_the_applicant_adds_and_confirms_a_number_on_the_pages(client, applicant, sms_outbox):
    client.force_login(applicant)
    page = reverse("sms:phone")
    assert client.get(page).status_code == 200
    response = client.post(page, {"number": "8 701 123 45 67"})
    assert response.status_code == 302 and response["Location"] == reverse("sms:verify")
    response = client.get(reverse("sms:verify"))
    assert "+7 701 123 4567" in response.content.decode()
    response = client.post(reverse("sms:verify"), {"code": "000000" if code_in(sms_outbox()[-1]) != "000000" else "1"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(reverse("sms:verify"), {"code": code_in(sms_outbox()[-1])})
    assert response.status_code == 302
    assert "+7 701 123 4567" in client.get(page).content.decode()
    assert PhoneNumber.objects.get(user=applicant).is_verified


def test_the_verify_page_without_a_code_sends_the_applicant_to_add_a_number(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("sms:verify"))
    assert response.status_code == 302 and response["Location"] == reverse("sms:phone")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", "+7701\x001234567"),
        ("number", "\ud800"),
        ("number", "9" * 10_000),
        ("number", "+7 727 258 12 34"),
        ("code", "12\x003456"),
        ("code", "9" * 10_000),
        ("code", "１２３４５６"),
    ],
)
def test_hostile_or_wrong_input_gets_a_form_error_never_a_500(client, applicant, sms_outbox, field, value):
    client.force_login(applicant)
    if field == "code":
        phone_code_send(user=applicant, number_text="+77011234567")
    url = reverse("sms:phone" if field == "number" else "sms:verify")
    # Sent as a hostile client sends it: a lone surrogate as its raw bytes.
    body = urlencode({field: value.encode("utf-8", "surrogatepass")})
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "error-summary" in response.content.decode()
    assert not PhoneNumber.objects.filter(user=applicant, verified_at__isnull=False).exists()


def test_the_remove_button_forgets_the_number(client, verified_applicant):
    client.force_login(verified_applicant)
    assert client.get(reverse("sms:remove")).status_code == 405
    response = client.post(reverse("sms:remove"))
    assert response.status_code == 302
    assert not PhoneNumber.objects.filter(user=verified_applicant).exists()


def test_each_account_sees_only_its_own_number(client, verified_applicant, stranger):
    client.force_login(stranger)
    assert "4567" not in client.get(reverse("sms:phone")).content.decode()
