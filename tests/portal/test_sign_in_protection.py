"""Lockout after repeated failures, idle staff sessions, password reset that reveals nothing."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.twofactor import SESSION_LAST_SEEN
from tests.portal.security_helpers import sign_in

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(applicant, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, applicant.email, "wrong-password")
    assert response.status_code == 429
    locked = sign_in(client, applicant.email)
    assert locked.status_code == 429
    assert "portal/security/locked_out.html" in [t.name for t in locked.templates]
    assert "_auth_user_id" not in client.session


def test_lockout_page_looks_the_same_for_unknown_addresses(applicant, settings):
    known, unknown = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        a = sign_in(known, applicant.email, "wrong-password")
        b = sign_in(unknown, "nobody@example.org", "wrong-password")
    assert a.status_code == b.status_code == 429
    assert without_csrf(a.content) == without_csrf(b.content)


def without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(applicant, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, applicant.email, "wrong-password")
    assert sign_in(client, applicant.email).status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_staff_session_ends_after_inactivity(caseworker, settings):
    client = Client()
    client.force_login(caseworker)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.STAFF_SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_active_staff_session_stays_signed_in(caseworker, settings):
    client = Client()
    client.force_login(caseworker)
    client.get(reverse("portal:dashboard"))
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.STAFF_SESSION_IDLE_SECONDS + 60
    session.save()
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_applicant_session_is_not_cut_by_the_staff_idle_limit(applicant, settings):
    client = Client()
    client.force_login(applicant)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.STAFF_SESSION_IDLE_SECONDS - 5
    session.save()
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_password_reset_answers_alike_for_known_and_unknown_addresses(applicant):
    known = Client().post(reverse("password_reset"), {"email": applicant.email})
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = Client().get(known["Location"])
    done_unknown = Client().get(unknown["Location"])
    assert without_csrf(done_known.content) == without_csrf(done_unknown.content)
    # Only the real account gets a reset link; the unknown address is told it has no account.
    assert [m.to for m in mail.outbox] == [[applicant.email], ["nobody@example.org"]]
    assert "/reset/" in mail.outbox[0].body and "/reset/" not in mail.outbox[1].body
