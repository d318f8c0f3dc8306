"""The "API tokens" page: create (shown once), list, revoke; staff only after the second factor."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["portal_language"] = "en"
    return client


def create(client, **data):
    response = client.post(reverse("api_tokens:list"), {"name": "HR sync", "scope": "read", **data})
    assert response.status_code == 200
    return response


def raw_token(response) -> str:
    return re.search(r'data-testid="new-token">(kp_[\w-]+)<', response.content.decode()).group(1)


def test_applicant_creates_a_token_sees_it_once_and_revokes_it(english, applicant):
    english.force_login(applicant)
    response = create(english)
    raw = raw_token(response)
    assert "Copy it now: it is shown only once." in response.content.decode()
    token = ApiToken.objects.get(user=applicant)
    assert (token.name, token.scope, token.expires_at) == ("HR sync", "read", None)
    page = english.get(reverse("api_tokens:list")).content.decode()
    assert token.prefix in page and raw not in page  # listed by prefix, never shown again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").status_code == 200
    assert english.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    assert api.get("/api/v1/me/").status_code == 401


def test_the_form_names_its_errors(english, applicant):
    english.force_login(applicant)
    response = english.post(reverse("api_tokens:list"), {"name": "", "scope": "admin"})
    body = response.content.decode()
    assert "There is a problem" in body and 'href="#id_name"' in body and 'href="#id_scope"' in body
    assert not ApiToken.objects.exists()


def test_staff_after_the_second_factor_get_a_short_lived_token(english, caseworker, settings):
    settings.API_STAFF_TOKEN_MAX_DAYS = 5
    english.force_login(caseworker)  # OTP-verified session (tests/conftest.py)
    response = create(english, scope="write")
    assert "expire after 5 days" in response.content.decode()
    token = ApiToken.objects.get(user=caseworker)
    assert token.expires_at is not None and (token.expires_at - token.created_at).days <= 5
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_token(response)}")
    assert api.get("/api/v1/casework/queues/").status_code == 200


def test_staff_with_the_password_only_cannot_reach_the_page(caseworker):
    from tests.portal.security_helpers import sign_in

    client = Client()
    sign_in(client, caseworker.email)
    response = client.post(reverse("api_tokens:list"), {"name": "x", "scope": "write"})
    assert response.status_code == 302 and "two-factor" in response["Location"]
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, applicant, stranger):
    from portal.api.tokens import api_token_create

    token, _raw = api_token_create(user=stranger)
    client.force_login(applicant)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
