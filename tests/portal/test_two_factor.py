"""Staff must enrol and prove a TOTP second factor; applicants are not asked."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.portal.security_helpers import sign_in, totp_now

pytestmark = pytest.mark.django_db


def enrol(client: Client, user) -> list[str]:
    """Walk the enrolment page like a person would; return the recovery codes shown."""
    response = client.get(reverse("twofactor:setup"))
    assert response.status_code == 200
    assert b"<svg" in response.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("twofactor:setup"), {"otp_token": totp_now(device), "next": "/dashboard/"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    return list(response.context["codes"])


@pytest.mark.parametrize("role", ["caseworker", "senior", "criteria_admin", "auditor"])
def test_every_staff_role_is_sent_to_enrol_after_password_sign_in(people, role):
    client = Client()
    response = sign_in(client, people[role].email)
    assert response.status_code == 302
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:setup"))


def test_unverified_staff_cannot_open_the_admin(caseworker):
    client = Client()
    sign_in(client, caseworker.email)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:setup"))


def test_unverified_staff_get_403_from_the_api(caseworker):
    client = Client()
    sign_in(client, caseworker.email)
    response = client.get("/api/anything")
    assert response.status_code == 403


def test_applicant_is_never_asked_for_a_second_factor(applicant):
    client = Client()
    sign_in(client, applicant.email)
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes_once(caseworker):
    client = Client()
    sign_in(client, caseworker.email)
    codes = enrol(client, caseworker)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=caseworker).confirmed
    assert client.get(reverse("portal:dashboard")).status_code == 200
    # Shown once: the page does not list them again.
    assert client.get(reverse("twofactor:recovery_codes")).context["codes"] is None


def test_wrong_code_at_enrolment_is_refused_with_an_error(caseworker):
    client = Client()
    sign_in(client, caseworker.email)
    client.get(reverse("twofactor:setup"))
    response = client.post(reverse("twofactor:setup"), {"otp_token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"]
    assert not TOTPDevice.objects.get(user=caseworker).confirmed


def test_next_sign_in_asks_for_the_code_and_accepts_the_authenticator(caseworker):
    first = Client()
    sign_in(first, caseworker.email)
    enrol(first, caseworker)
    second = Client()
    sign_in(second, caseworker.email)
    response = second.get("/admin/")
    assert response["Location"].startswith(reverse("twofactor:verify"))
    bad = second.post(reverse("twofactor:verify"), {"otp_token": "123456", "next": "/admin/"})
    assert bad.status_code == 200 and bad.context["form"].errors
    device = TOTPDevice.objects.get(user=caseworker)
    # A code is accepted once; enrolment used the current one, so use the next step's.
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    good = second.post(reverse("twofactor:verify"), {"otp_token": totp_now(device), "next": "/admin/"})
    assert good.status_code == 302 and good["Location"] == "/admin/"
    assert second.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(caseworker):
    first = Client()
    sign_in(first, caseworker.email)
    codes = enrol(first, caseworker)
    second = Client()
    sign_in(second, caseworker.email)
    response = second.post(reverse("twofactor:verify"), {"otp_token": codes[0], "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    third = Client()
    sign_in(third, caseworker.email)
    again = third.post(reverse("twofactor:verify"), {"otp_token": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors


def test_verify_never_redirects_off_site(caseworker):
    client = Client()
    sign_in(client, caseworker.email)
    codes = enrol(client, caseworker)
    other = Client()
    sign_in(other, caseworker.email)
    response = other.post(reverse("twofactor:verify"), {"otp_token": codes[1], "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:dashboard")
