"""Security headers on every page, and templates that keep the CSP without inline script."""

import re

import pytest
from django.test import Client

from tests.portal.test_settings import PROD_ENV, run_python
from tests.services import ROOT

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = [d.strip().split() for d in header.split(";") if d.strip()]
    return {p[0]: p[1:] for p in parts}


def test_pages_send_a_csp_without_inline_or_remote_script():
    response = Client().get("/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_pages_deny_framing_and_mime_sniffing():
    response = Client().get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_httponly_and_samesite(applicant):
    client = Client()
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/", {"username": applicant.email, "password": "correct-horse-battery-9"}, REMOTE_ADDR="10.1.1.1"
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["httponly"] and client.cookies["csrftoken"]["samesite"] == "Lax"


def test_production_settings_add_hsts_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)"
    )
    result = run_python(code, PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * 7


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_no_template_has_inline_script_event_handlers_or_javascript_urls():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            offenders += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []
