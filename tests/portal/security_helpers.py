"""Helpers for the hardening tests: sign in through the real pages, read the security log."""

import json
import logging

from django.urls import reverse
from django_otp.oath import TOTP

PASSWORD = "correct-horse-battery-9"


def sign_in(client, email: str, password: str = PASSWORD, next_url: str = ""):
    """Post the real sign-in form (no test-client shortcut), following nothing."""
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": email, "password": password, "next": next_url}, REMOTE_ADDR="10.9.8.7")


def totp_now(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class SecurityLogCapture(logging.Handler):
    """Collects the JSON lines the portal.security logger writes."""

    def __init__(self) -> None:
        super().__init__()
        from portal.security_log import JsonFormatter

        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def events(self, name: str) -> list[dict]:
        return [r for r in self.records if r["event"] == name]
