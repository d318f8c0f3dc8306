"""Phone numbers as people type them, read with Google's libphonenumber (``phonenumbers``)."""

import phonenumbers
from django.conf import settings

# Types that can receive an SMS. Some countries (the US among them) do not tell mobile
# numbers from fixed lines: those are FIXED_LINE_OR_MOBILE and accepted.
_SMS_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}

# Longer input is not a phone number (an E.164 number has at most 15 digits; people add
# spaces, brackets and dashes).
MAX_INPUT = 40


class InvalidPhoneNumber(ValueError):
    """The text is not a valid mobile number; ``reason`` is "invalid" or "not_mobile"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def phone_normalise(text: str, *, region: str | None = None) -> str:
    """The E.164 form (``+77011234567``) of a typed mobile number, or InvalidPhoneNumber.

    A number without a country code is read in ``region`` (default SMS_DEFAULT_REGION, KZ),
    so ``8 701 123 45 67`` and ``+7 (701) 123-45-67`` are the same number.
    """
    if not text or len(text) > MAX_INPUT:
        raise InvalidPhoneNumber("invalid")
    try:
        parsed = phonenumbers.parse(text, region or settings.SMS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber("invalid") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber("invalid")
    if phonenumbers.number_type(parsed) not in _SMS_TYPES:
        raise InvalidPhoneNumber("not_mobile")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(number: str) -> str:
    """An E.164 number in international format for pages (``+7 701 123 4567``)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_masked(number: str) -> str:
    """The number with all but the last two digits hidden (for the audit trail and logs)."""
    return "•" * max(len(number) - 3, 0) + number[-2:] if number else ""
