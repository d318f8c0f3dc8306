import re

import pytest

from applications.sms.backends import file_backend_messages
from applications.sms.services import phone_code_confirm, phone_code_send


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """The file backend in a folder of the test's own; returns a reader of what was sent."""
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return lambda: file_backend_messages(settings.SMS_FILE_PATH)


def code_in(message: dict) -> str:
    return re.search(r"\b(\d{6})\b", message["text"]).group(1)


def verify_phone(user, number: str, sms_outbox) -> None:
    """Verify a number the way an applicant does: ask for a code, read the SMS, type it."""
    phone_code_send(user=user, number_text=number)
    phone_code_confirm(user=user, code=code_in(sms_outbox()[-1]))


@pytest.fixture
def verified_applicant(applicant, sms_outbox):
    verify_phone(applicant, "+7 701 123 45 67", sms_outbox)
    return applicant
