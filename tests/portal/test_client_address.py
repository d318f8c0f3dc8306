"""One rule for the client address behind the trusted proxies, used by every path."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.client import client_ip
from tests.portal.security_helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _request(remote: str = "10.0.0.1", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it really saw.
    assert client_ip(_request("10.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_client_is_the_second_from_the_right(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"


def test_a_malformed_forwarded_address_falls_back_to_the_peer(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"
    assert client_ip(_request("10.0.0.1")) == "10.0.0.1"


def test_axes_the_security_log_and_the_audit_trail_use_the_same_rule(settings):
    from axes.helpers import get_client_ip_address

    from portal.api.throttles import AnonThrottle

    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    request = _request("10.0.0.1", "1.2.3.4, 198.51.100.7")
    assert get_client_ip_address(request) == "198.51.100.7"
    assert AnonThrottle().get_ident(request) == "198.51.100.7"


def _sign_in_from(client: Client, email: str, address: str, password: str):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_an_attacker_cannot_lock_a_staff_member_out_from_their_own_address(caseworker, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in_from(attacker, caseworker.email, "198.51.100.66", "wrong-password")
    assert response.status_code == 429
    # The attacker's address stays locked for that account, even with the right password...
    assert _sign_in_from(Client(), caseworker.email, "198.51.100.66", PASSWORD).status_code == 429
    # ...but the staff member, behind the same proxy from their own address, signs in.
    owner = Client()
    assert _sign_in_from(owner, caseworker.email, "203.0.113.20", PASSWORD).status_code == 302
    assert owner.session["_auth_user_id"] == str(caseworker.pk)


def test_a_forged_forwarded_header_does_not_escape_the_lockout(applicant, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The attacker varies the left part of the header; the proxy appends the real address.
        _sign_in_from(attacker, applicant.email, f"192.0.2.{number}, 198.51.100.66", "wrong-password")
    assert _sign_in_from(attacker, applicant.email, "192.0.2.99, 198.51.100.66", "wrong-password").status_code == 429
