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


# --- A password alone never changes the second factor (issue 13) -----------------------


def _enrolled_then_password_only(user) -> tuple[Client, list[str]]:
    """The owner enrols; an attacker who knows only the password signs in elsewhere."""
    owner = Client()
    sign_in(owner, user.email)
    codes = enrol(owner, user)
    attacker = Client()
    assert sign_in(attacker, user.email).status_code == 302
    return attacker, codes


def test_a_password_only_session_cannot_enrol_a_second_authenticator(caseworker, security_log):
    attacker, _codes = _enrolled_then_password_only(caseworker)
    devices_before = set(TOTPDevice.objects.filter(user=caseworker).values_list("pk", flat=True))

    response = attacker.get(reverse("twofactor:setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:verify"))
    # No new secret was made for the attacker to scan.
    assert set(TOTPDevice.objects.filter(user=caseworker).values_list("pk", flat=True)) == devices_before

    response = attacker.post(reverse("twofactor:setup"), {"otp_token": "123456"})
    assert response["Location"].startswith(reverse("twofactor:verify"))
    assert not attacker.session.get("otp_device_id")
    assert attacker.get(reverse("portal:dashboard"))["Location"].startswith(reverse("twofactor:verify"))
    assert security_log.events("second_factor_change_refused")


def test_a_password_only_session_cannot_replace_the_recovery_codes(caseworker):
    attacker, codes = _enrolled_then_password_only(caseworker)
    response = attacker.post(reverse("twofactor:recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor:verify"))
    assert set(StaticToken.objects.filter(device__user=caseworker).values_list("token", flat=True)) == set(codes)


def test_a_password_only_session_gets_no_api_token(caseworker):
    from portal.api.models import ApiToken

    attacker, _codes = _enrolled_then_password_only(caseworker)
    for response in (
        attacker.get(reverse("api_tokens:list")),
        attacker.post(reverse("api_tokens:list"), {"name": "mine", "scope": "read"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("twofactor:verify"))
    assert not ApiToken.objects.filter(user=caseworker).exists()


def test_the_api_token_page_refuses_an_unverified_staff_session_even_without_the_middleware(caseworker, settings):
    from portal.api.models import ApiToken

    _attacker, _codes = _enrolled_then_password_only(caseworker)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "portal.twofactor.StaffOTPRequiredMiddleware"]
    attacker = Client()
    sign_in(attacker, caseworker.email)
    response = attacker.post(reverse("api_tokens:list"), {"name": "mine", "scope": "read"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor:verify"))
    assert not ApiToken.objects.filter(user=caseworker).exists()


def _verify_with(client: Client, code: str) -> None:
    response = client.post(reverse("twofactor:verify"), {"otp_token": code, "next": "/dashboard/"})
    assert response.status_code == 302, response


def test_a_session_verified_with_a_recovery_code_may_replace_a_lost_authenticator(
    caseworker, security_log, django_capture_on_commit_callbacks
):
    from django.core import mail

    from applications.models import Notification

    owner, codes = _enrolled_then_password_only(caseworker)  # the owner, on a new phone
    old = TOTPDevice.objects.get(user=caseworker, confirmed=True)
    _verify_with(owner, codes[0])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        new_codes = enrol(owner, caseworker)

    confirmed = TOTPDevice.objects.filter(user=caseworker, confirmed=True)
    assert confirmed.count() == 1 and confirmed.get().pk != old.pk
    assert not StaticToken.objects.filter(device__user=caseworker, token__in=codes).exists()
    assert len(new_codes) == 10
    event = security_log.events("second_factor_changed")[-1]
    assert event["change"] == "authenticator_replaced" and event["user_id"] == caseworker.pk
    inbox = Notification.objects.filter(recipient=caseworker, channel="in_app", kind="second_factor_changed")
    assert inbox.first().payload["change"] == "authenticator_replaced"
    [message] = [m for m in mail.outbox if m.to == [caseworker.email]]
    assert "ескі аутентификатор қосымшасының орнына" in message.body  # Kazakh, the default language


def test_the_user_is_told_in_their_language_when_recovery_codes_are_replaced(
    caseworker, security_log, django_capture_on_commit_callbacks
):
    from django.core import mail

    from applications.models import Notification

    caseworker.preferred_language = "ru"
    caseworker.save(update_fields=["preferred_language"])
    client = Client()
    sign_in(client, caseworker.email)
    enrol(client, caseworker)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("twofactor:recovery_codes"))

    assert response.status_code == 302
    assert len(client.get(response["Location"]).context["codes"]) == 10
    changes = [e["change"] for e in security_log.events("second_factor_changed")]
    assert changes == ["authenticator_added", "recovery_codes_replaced"]
    rows = Notification.objects.filter(recipient=caseworker, kind="second_factor_changed", channel="in_app")
    assert sorted(r.payload["change"] for r in rows) == ["authenticator_added", "recovery_codes_replaced"]
    inbox = client.get(reverse("notifications:list"))
    assert inbox.status_code == 200
    assert "Настройки двухфакторного входа в вашу учётную запись изменились" in inbox.content.decode()
    [message] = mail.outbox
    assert message.to == [caseworker.email]
    assert "коды восстановления" in message.body.lower()
    assert "коды восстановления" in message.subject.lower() or "двухфактор" in message.subject.lower()


def test_an_administrator_removing_an_authenticator_tells_its_owner(caseworker, security_log, db):
    from applications.models import Notification
    from portal.models import User

    owner = Client()
    sign_in(owner, caseworker.email)
    enrol(owner, caseworker)
    device = TOTPDevice.objects.get(user=caseworker, confirmed=True)
    superuser = User.objects.create_superuser(email="root@example.kz", password="correct-horse-battery-9")
    admin = Client()
    admin.force_login(superuser)

    response = admin.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}, REMOTE_ADDR="10.1.1.1"
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = security_log.events("second_factor_changed")[-1]
    assert event["change"] == "authenticator_removed"
    assert event["user_id"] == caseworker.pk and event["actor_id"] == superuser.pk
    rows = Notification.objects.filter(recipient=caseworker, kind="second_factor_changed", channel="in_app")
    assert {r.payload["change"] for r in rows} == {"authenticator_added", "authenticator_removed"}
    # With the old device gone, the owner's next enrolment is a first one again.
    again = Client()
    sign_in(again, caseworker.email)
    assert again.get(reverse("twofactor:setup")).status_code == 200


def test_the_admin_never_shows_an_authenticators_secret(caseworker, db):
    from portal.models import User

    owner = Client()
    sign_in(owner, caseworker.email)
    enrol(owner, caseworker)
    device = TOTPDevice.objects.get(user=caseworker, confirmed=True)
    superuser = User.objects.create_superuser(email="root@example.kz", password="correct-horse-battery-9")
    admin = Client()
    admin.force_login(superuser)
    page = admin.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()


def test_the_admin_has_no_page_that_shows_or_adds_recovery_codes(caseworker, db):
    from django.contrib import admin as django_admin
    from django_otp.plugins.otp_static.models import StaticDevice

    from portal.models import User

    assert StaticDevice not in django_admin.site._registry
    superuser = User.objects.create_superuser(email="root@example.kz", password="correct-horse-battery-9")
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
