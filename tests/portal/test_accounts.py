"""Accounts: sign-up with e-mail verification, sign-in, reset and change password (Django's auth views)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from portal.accounts.tokens import verification_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Anonymous pages in English (the site default is Kazakh) so assertions read plainly."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


SIGN_UP = {
    "email": "Dana.Serik@Example.org",
    "password1": "steppe-horizon-4821",
    "password2": "steppe-horizon-4821",
    "preferred_language": "ru",
}


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_creates_an_unverified_account_and_sends_the_link_in_the_chosen_language(client):
    response = client.post("/accounts/sign-up/", SIGN_UP)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="dana.serik@example.org")
    assert user.email_verified_at is None
    assert user.preferred_language == "ru"
    assert user.groups.filter(name="applicant").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana.serik@example.org"]
    assert "/accounts/verify/" in link_in(mail.outbox[0])
    assert "Open this link" not in mail.outbox[0].body  # written in Russian


def test_sign_up_checks_passwords_with_djangos_validators(client):
    weak = client.post("/accounts/sign-up/", {**SIGN_UP, "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 400
    assert "error-summary" in weak.content.decode()
    mismatch = client.post("/accounts/sign-up/", {**SIGN_UP, "password2": "something-else-992"})
    assert mismatch.status_code == 400
    assert not get_user_model().objects.exists()
    assert 'value="Dana.Serik@Example.org"' in mismatch.content.decode()


def test_signing_up_with_a_registered_address_reveals_nothing_and_tells_the_owner(client, applicant):
    response = client.post("/accounts/sign-up/", {**SIGN_UP, "email": applicant.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-up/check-your-email/"
    assert get_user_model().objects.count() == 1
    assert mail.outbox[0].to == [applicant.email]
    assert "/accounts/password_reset/" in mail.outbox[0].body


def test_the_verification_link_verifies_the_address(client):
    client.post("/accounts/sign-up/", SIGN_UP)
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert get_user_model().objects.get().email_verified_at is not None


def test_an_expired_or_forged_link_is_refused(client, applicant):
    token = verification_token(applicant)
    with override_settings(EMAIL_VERIFICATION_MAX_AGE=-1):
        expired = client.get(f"/accounts/verify/{token}/")
    assert expired.status_code == 400
    assert "expired" in expired.content.decode()
    forged = client.get(f"/accounts/verify/{token[:-2]}xx/")
    assert forged.status_code == 400
    applicant.refresh_from_db()
    assert applicant.email_verified_at is None


def test_a_link_for_an_old_address_does_not_verify_a_new_one(client, applicant):
    token = verification_token(applicant)
    applicant.email = "new.address@example.org"
    applicant.save(update_fields=["email"])
    assert client.get(f"/accounts/verify/{token}/").status_code == 400


def test_an_unverified_user_can_sign_in_only_to_verify_and_resend(client, applicant):
    response = client.post("/accounts/login/", {"username": applicant.email, "password": "correct-horse-battery-9"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify-your-email/"
    assert client.get("/applications/")["Location"] == "/accounts/verify-your-email/"
    assert client.get("/applications/new/")["Location"] == "/accounts/verify-your-email/"
    resend = client.post("/accounts/verify-your-email/")
    assert resend.status_code == 200
    assert len(mail.outbox) == 1
    client.get(link_in(mail.outbox[0]))
    assert client.get("/applications/").status_code == 200


def test_a_verified_applicant_lands_on_their_applications_after_sign_in(client, applicant):
    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    response = client.post("/accounts/login/", {"username": applicant.email, "password": "correct-horse-battery-9"})
    assert response["Location"] == "/applications/"


def test_sign_in_with_a_wrong_password_shows_an_error(client, applicant):
    response = client.post("/accounts/login/", {"username": applicant.email, "password": "wrong"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_password_reset_answers_the_same_whether_or_not_the_address_exists(client, applicant):
    applicant.preferred_language = "kk"
    applicant.save(update_fields=["preferred_language"])
    known = client.post("/accounts/password_reset/", {"email": applicant.email})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Each address gets one e-mail: the account its link, the unknown address a note that
    # it has no account (so both answers do the same work and take the same time).
    assert [m.to for m in mail.outbox] == [[applicant.email], ["nobody@example.org"]]
    assert "/reset/" not in mail.outbox[1].body
    assert "Open this link" not in mail.outbox[0].body  # in the account's language, Kazakh
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "new-steppe-pass-77", "new_password2": "new-steppe-pass-77"}
    )
    assert done.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("new-steppe-pass-77")


def test_change_password_uses_djangos_view_and_validators(client, applicant):
    client.force_login(applicant)
    assert client.get("/accounts/password_change/").status_code == 200
    weak = client.post(
        "/accounts/password_change/",
        {"old_password": "correct-horse-battery-9", "new_password1": "password", "new_password2": "password"},
    )
    assert weak.status_code == 200 and "error-summary" in weak.content.decode()
    ok = client.post(
        "/accounts/password_change/",
        {
            "old_password": "correct-horse-battery-9",
            "new_password1": "aral-sea-tulip-31",
            "new_password2": "aral-sea-tulip-31",
        },
    )
    assert ok.status_code == 302


def test_sign_out_ends_the_session(client, applicant):
    client.force_login(applicant)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/applications/").status_code == 302


@override_settings(APPLICANT_SESSION_IDLE_SECONDS=900)
def test_stay_signed_in_restarts_the_inactivity_clock(client, applicant):
    assert client.post("/accounts/session/keep-alive/").status_code == 401
    client.force_login(applicant)
    response = client.post("/accounts/session/keep-alive/")
    assert response.status_code == 200
    assert response.json()["expires_in"] == 900
    assert 895 <= client.session.get_expiry_age() <= 900


@override_settings(APPLICANT_SESSION_IDLE_SECONDS=900)
def test_pages_restart_the_inactivity_clock_without_rewriting_the_session_every_time(client, applicant):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    applicant.email_verified_at = timezone.now()
    applicant.save(update_fields=["email_verified_at"])
    client.force_login(applicant)
    assert client.get("/applications/").status_code == 200
    key = client.session.session_key
    first_end = Session.objects.get(pk=key).expire_date
    assert abs((first_end - timezone.now()).total_seconds() - 900) < 5
    # A second page moments later: the session row is not rewritten (no UPDATE per page).
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/applications/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and q["sql"].startswith("UPDATE")]
    # The page tells the timeout warning what is really left.
    left = re.search(r'data-timeout-seconds="(\d+)"', client.get("/applications/").content.decode())
    assert 880 <= int(left.group(1)) <= 900
    # Once the stored end is more than 30 s behind, the next page moves it on.
    session = client.session
    session.set_expiry(timezone.now() + timedelta(seconds=600))
    session.save()
    assert client.get("/applications/").status_code == 200
    assert abs((Session.objects.get(pk=key).expire_date - timezone.now()).total_seconds() - 900) < 5


def test_account_pages_render(client):
    for url in (
        "/accounts/sign-up/",
        "/accounts/login/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
    ):
        assert client.get(url).status_code == 200, url
