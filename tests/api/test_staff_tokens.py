"""Staff API tokens follow the web's second factor (docs/security.md, "API tokens of staff")."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from portal import roles
from portal.api.models import ApiToken
from portal.api.tokens import TokenRefused, api_token_create
from portal.audit.models import AuditEvent
from tests.api.conftest import confirm_totp, token_client

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def command_token(email: str, *args: str) -> str:
    out = StringIO()
    call_command("create_api_token", email, *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_command_refuses_staff_without_a_confirmed_authenticator(caseworker):
    TOTPDevice.objects.create(user=caseworker, name="half enrolled", confirmed=False)
    with pytest.raises(CommandError, match="two-factor"):
        command_token(caseworker.email, "--scope", "write")
    assert not ApiToken.objects.filter(user=caseworker).exists()


def test_command_gives_staff_a_short_lived_token_that_works(caseworker, settings):
    settings.API_STAFF_TOKEN_MAX_DAYS = 3
    confirm_totp(caseworker)
    raw = command_token(caseworker.email, "--scope", "read")
    token = ApiToken.objects.get(user=caseworker)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=3))) < timedelta(minutes=1)
    assert bearer(raw).get("/api/v1/casework/queues/").status_code == 200
    with pytest.raises(CommandError, match="at most 3 days"):
        command_token(caseworker.email, "--days", "30")
    with pytest.raises(CommandError, match="must expire"):
        command_token(caseworker.email, "--days", "0")
    assert ApiToken.objects.filter(user=caseworker).count() == 1


def test_applicants_tokens_are_not_limited(applicant):
    raw = command_token(applicant.email, "--scope", "write")
    assert ApiToken.objects.get(user=applicant).expires_at is None
    assert bearer(raw).get("/api/v1/me/").status_code == 200


def test_a_staff_token_cannot_create_another_token(senior):
    client = token_client(senior)
    response = client.post("/api/v1/me/tokens/", {"scope": "write"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"
    assert ApiToken.objects.filter(user=senior).count() == 1  # only the client's own


def test_a_staff_session_verified_with_two_factor_creates_a_token(client, senior, settings):
    settings.API_STAFF_TOKEN_MAX_DAYS = 2
    client.force_login(senior)  # marks the session OTP-verified (tests/conftest.py)
    response = client.post("/api/v1/me/tokens/", {"scope": "read"}, content_type="application/json")
    assert response.status_code == 201, response.content
    created = ApiToken.objects.get(pk=response.json()["id"])
    assert created.expires_at - created.created_at <= timedelta(days=2)
    assert bearer(response.json()["token"]).get("/api/v1/casework/queues/").status_code == 200


def test_a_staff_session_without_the_second_factor_gets_the_api_error_shape(senior):
    from django.test import Client

    from tests.portal.security_helpers import sign_in

    client = Client()
    sign_in(client, senior.email)  # the password form only: no second factor yet
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "two_factor_required", "message": "Two-factor verification is required.", "fields": {}}
    }
    refused = client.post("/api/v1/me/tokens/", {"scope": "read"}, content_type="application/json")
    assert refused.status_code == 403
    assert not ApiToken.objects.filter(user=senior).exists()


def test_service_refuses_a_longer_lifetime_for_staff(criteria_admin, settings):
    settings.API_STAFF_TOKEN_MAX_DAYS = 7
    confirm_totp(criteria_admin)
    with pytest.raises(TokenRefused) as refused:
        api_token_create(user=criteria_admin, expires_at=timezone.now() + timedelta(days=8))
    assert refused.value.code == "token_lifetime_too_long"
    token, _raw = api_token_create(user=criteria_admin, expires_at=timezone.now() + timedelta(days=1))
    assert token.expires_at is not None


def test_removing_the_authenticator_revokes_staff_tokens(auditor):
    device = confirm_totp(auditor)
    client = token_client(auditor)
    assert client.get("/api/v1/casework/cases/").status_code == 200
    device.delete()
    response = client.get("/api/v1/casework/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    token = ApiToken.objects.get(user=auditor)
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(
        action="api_token.revoke", object_id=str(token.pk), reason="authenticator removed"
    ).exists()


def test_a_second_authenticator_left_keeps_the_tokens(auditor):
    first = confirm_totp(auditor)
    TOTPDevice.objects.create(user=auditor, name="spare phone", confirmed=True)
    client = token_client(auditor)
    first.delete()
    assert client.get("/api/v1/casework/cases/").status_code == 200


def test_deactivating_a_user_revokes_every_token(caseworker, applicant):
    staff_client, applicant_client = token_client(caseworker), token_client(applicant)
    for user in (caseworker, applicant):
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0
    assert staff_client.get("/api/v1/casework/queues/").status_code == 401
    assert applicant_client.get("/api/v1/me/").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", reason="account deactivated").count() == 2


def test_a_token_issued_before_its_user_became_staff_stops_working(applicant):
    client = token_client(applicant)  # no expiry: applicants' rules
    assert client.get("/api/v1/me/").status_code == 200
    applicant.groups.add(Group.objects.get(name=roles.CASEWORKER))
    confirm_totp(applicant)
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "not issued under the staff token rules" in response.json()["error"]["message"]
