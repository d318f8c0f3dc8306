"""Where an SMS goes: chosen by ``settings.SMS_BACKEND`` ("console", "file" or "http").

Every backend has one method, ``send(to=, text=, idempotency_key=) -> str`` (the provider's
message id). It raises ``SmsTemporaryError`` when sending may succeed later (the outbox
retries) and ``SmsRejected`` when it never will (the outbox marks the row failed). The
HTTP provider interface is documented in docs/notifications.md.
"""

import json
import sys
import threading
from pathlib import Path
from typing import Protocol

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Answers after which the same request may succeed: timeouts, throttling, server errors.
_RETRY_STATUSES = {408, 425, 429}


class SmsTemporaryError(Exception):
    """The provider is down, slow or refused for now; try again later."""


class SmsRejected(Exception):
    """The provider refused this message for good (bad number, blocked, malformed)."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, idempotency_key: str) -> str: ...


class ConsoleBackend:
    """Prints each SMS (development)."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        sys.stdout.write(f"SMS to {to} [{idempotency_key}]\n{text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return idempotency_key


class FileBackend:
    """Appends each SMS as one JSON line to ``SMS_FILE_PATH`` (development and tests)."""

    _lock = threading.Lock()

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": to, "text": text, "idempotency_key": idempotency_key}, ensure_ascii=False)
        # One write() of one line on an O_APPEND file: lines of concurrent workers do not interleave.
        with self._lock, path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return idempotency_key


def file_backend_messages(path: str | Path | None = None) -> list[dict]:
    """The messages the file backend wrote (tests and development)."""
    target = Path(path or settings.SMS_FILE_PATH)
    if not target.exists():
        return []
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]


class HttpBackend:
    """An SMS provider over HTTPS: one JSON POST per message (docs/notifications.md).

    The ``Idempotency-Key`` header carries the outbox row's key, so a provider that honours
    it sends a retried request once, even when our first attempt got through but its answer
    was lost.
    """

    def __init__(self) -> None:
        if not settings.SMS_HTTP_URL:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL")
        self.url = settings.SMS_HTTP_URL
        self.token = settings.SMS_HTTP_TOKEN
        self.timeout = settings.SMS_HTTP_TIMEOUT_SECONDS

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        headers = {"Idempotency-Key": idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = {"to": to, "from": settings.SMS_SENDER, "text": text}
        try:
            response = httpx.post(self.url, json=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as error:
            raise SmsTemporaryError(f"{type(error).__name__}: {error}") from error
        if response.status_code >= 500 or response.status_code in _RETRY_STATUSES:
            raise SmsTemporaryError(f"provider answered {response.status_code}")
        if response.status_code >= 400:
            raise SmsRejected(f"provider refused the message: {response.status_code} {response.text[:200]}")
        try:
            message_id = response.json().get("id")
        except (ValueError, AttributeError):
            message_id = None
        return str(message_id or idempotency_key)


BACKENDS: dict[str, type] = {"console": ConsoleBackend, "file": FileBackend, "http": HttpBackend}


def sms_backend() -> SmsBackend:
    """The configured backend (read per call: tests and settings overrides switch it)."""
    try:
        backend_class = BACKENDS[settings.SMS_BACKEND]
    except KeyError:
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {', '.join(BACKENDS)}") from None
    return backend_class()
