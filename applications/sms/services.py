"""Writes of phone numbers: verification by code, removal, and sending one outbox SMS.

Verification codes are six random digits, stored only as a keyed hash (HMAC-SHA256 over the
account, the number and the code), valid SMS_CODE_TTL_SECONDS, with SMS_CODE_MAX_ATTEMPTS
guesses each; a new code waits SMS_CODE_RESEND_SECONDS and each account and each number get
SMS_CODES_PER_HOUR (an SMS costs money and can be used to harass the number's owner). Every
step is audited with the number masked.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from applications.models import Notification, PhoneNumber
from applications.sms.backends import sms_backend
from applications.sms.messages import notification_sms_text, verification_sms_text
from applications.sms.phones import phone_masked, phone_normalise
from applications.sms.selectors import verified_number
from portal.audit.record import audit_record
from portal.ratelimit import RateLimitUnavailable, rate_limit_hit

CODE_DIGITS = 6


class PhoneCodeRefused(Exception):
    """A code was not sent or not accepted; ``reason`` says why (the page words it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SmsNotDeliverable(Exception):
    """The recipient has no verified number any more: the SMS is dropped, not retried."""


def _code_hash(*, user_id: int, number: str, code: str) -> str:
    return salted_hmac("applications.sms.code", f"{user_id}:{number}:{code}", algorithm="sha256").hexdigest()


def _language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _rate_limited(*, user, number: str) -> bool:
    """Whether this account or this number had its codes for the hour (fails closed)."""
    limit, window = settings.SMS_CODES_PER_HOUR, 60 * 60
    try:
        by_user = rate_limit_hit(key=f"sms-code:user:{user.pk}", limit=limit, window=window)
        by_number = rate_limit_hit(key=f"sms-code:number:{number}", limit=limit, window=window)
    except RateLimitUnavailable:
        # Without the counter nothing stops a script from texting a stranger's phone all day.
        raise PhoneCodeRefused("unavailable") from None
    return by_user or by_number


def phone_code_send(*, user, number_text: str, ip_address: str | None = None) -> PhoneNumber:
    """Send a verification code to a typed number; the number waits as pending until confirmed.

    Raises ``InvalidPhoneNumber`` for a number that cannot get SMS and ``PhoneCodeRefused``
    ("wait", "too_many", "unavailable", "send_failed") otherwise.
    """
    number = phone_normalise(number_text)
    now = timezone.now()
    refused = False
    with transaction.atomic():
        row, _created = PhoneNumber.objects.select_for_update().get_or_create(user=user)
        if row.code_sent_at and now - row.code_sent_at < timedelta(seconds=settings.SMS_CODE_RESEND_SECONDS):
            raise PhoneCodeRefused("wait")
        if _rate_limited(user=user, number=number):
            audit_record(
                actor=user,
                action="phone.code_refused",
                obj=row,
                reason="too_many",
                ip_address=ip_address,
                snapshot={"number": phone_masked(number)},
            )
            refused = True
        else:
            _code_issue(row=row, user=user, number=number, now=now, ip_address=ip_address)
    # Raised after the commit, so the refusal stays in the audit trail.
    if refused:
        raise PhoneCodeRefused("too_many")
    return row


def _code_issue(*, row: PhoneNumber, user, number: str, now, ip_address: str | None) -> None:
    """Store a new code's hash on the locked row, audit it and send it."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row.pending_number = number
    row.code_hash = _code_hash(user_id=user.pk, number=number, code=code)
    row.code_sent_at = now
    row.code_expires_at = now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS)
    row.code_attempts = 0
    row.save()
    audit_record(
        actor=user,
        action="phone.code_sent",
        obj=row,
        ip_address=ip_address,
        snapshot={"number": phone_masked(number)},
    )
    # Sent while the row is locked and before the commit: if the provider refuses, nothing
    # is recorded and the applicant may ask again at once. The code never enters the outbox.
    try:
        sms_backend().send(
            to=number,
            text=verification_sms_text(code=code, language=_language(user)),
            idempotency_key=f"phone-code:{user.pk}:{row.code_hash[:32]}",
        )
    except Exception as error:  # noqa: BLE001 - any provider failure is the same to the applicant
        raise PhoneCodeRefused("send_failed") from error


def phone_code_confirm(*, user, code: str, ip_address: str | None = None) -> PhoneNumber:
    """Check a code; on success the pending number becomes the account's verified number.

    Raises ``PhoneCodeRefused``: "no_code" (none pending), "expired", "too_many" (guesses
    used up: ask for a new code) or "wrong". Every outcome is audited.
    """
    now = timezone.now()
    failure = ""
    with transaction.atomic():
        row = PhoneNumber.objects.select_for_update().filter(user=user).first()
        if row is None or not row.pending_number or not row.code_hash:
            raise PhoneCodeRefused("no_code")
        if row.code_expires_at is None or row.code_expires_at <= now:
            failure = "expired"
        elif row.code_attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            failure = "too_many"
        else:
            row.code_attempts += 1
            expected = _code_hash(user_id=user.pk, number=row.pending_number, code=code.strip())
            if not constant_time_compare(expected, row.code_hash):
                failure = "too_many" if row.code_attempts >= settings.SMS_CODE_MAX_ATTEMPTS else "wrong"
        if failure:
            row.save(update_fields=["code_attempts", "updated_at"])
            audit_record(
                actor=user,
                action="phone.code_failed",
                obj=row,
                reason=failure,
                ip_address=ip_address,
                snapshot={"number": phone_masked(row.pending_number), "attempts": row.code_attempts},
            )
        else:
            row.number = row.pending_number
            row.verified_at = now
            row.pending_number = row.code_hash = ""
            row.code_expires_at = None
            row.code_attempts = 0
            row.save()
            audit_record(
                actor=user,
                action="phone.verified",
                obj=row,
                ip_address=ip_address,
                snapshot={"number": phone_masked(row.number)},
            )
    if failure:
        raise PhoneCodeRefused(failure)
    return row


def phone_remove(*, user, ip_address: str | None = None) -> bool:
    """Forget the account's number (verified and pending); no SMS goes out after this."""
    with transaction.atomic():
        row = PhoneNumber.objects.select_for_update().filter(user=user).first()
        if row is None:
            return False
        audit_record(
            actor=user,
            action="phone.removed",
            obj=row,
            ip_address=ip_address,
            snapshot={"number": phone_masked(row.number or row.pending_number)},
        )
        row.delete()
    return True


def sms_notification_send(row: Notification) -> str:
    """Send one SMS outbox row to the recipient's verified number (called with the row locked).

    The row's idempotency key goes to the provider, so a retry after a lost answer is not
    sent twice. Raises ``SmsNotDeliverable`` when the number was removed since the event.
    """
    number = verified_number(row.recipient_id)
    if not number:
        raise SmsNotDeliverable("the recipient has no verified phone number")
    return sms_backend().send(to=number, text=notification_sms_text(row), idempotency_key=row.idempotency_key)
