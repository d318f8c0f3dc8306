"""Journeys in a real Chromium: start page in three languages, sign-in, staff TOTP, data page.

Each key page gets a full-page screenshot and an axe-core check (test-artifacts/).
"""

import base64

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

from tests.browser.conftest import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-9"


def verified(user):
    """Accounts in these journeys have confirmed their e-mail address (sign-up is its own journey)."""
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def sign_in(page, email: str, next_url: str = "") -> None:
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_start_page_reads_in_kazakh_russian_and_english(page):
    page.goto("/")
    assert page.get_attribute("html", "lang") == "kk"
    check_page(page, "start-kk")
    for code, heading in (("ru", "Жить и работать в Казахстане"), ("en", "Live and work in Kazakhstan")):
        page.click(f".language-switcher button[value={code}]")
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == code
        assert page.inner_text("h1") == heading
        check_page(page, f"start-{code}")


def test_applicant_signs_in_and_reaches_account_and_data_pages(page, applicant):
    verified(applicant)
    page.goto("/accounts/login/")
    check_page(page, "sign-in")
    sign_in(page, applicant.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    # Signed in: the account page (which sends applicants on to their applications).
    assert page.url.endswith(("/dashboard/", "/applications/")), page.url
    check_page(page, "applicant-home")
    page.goto("/accounts/my-data/")
    check_page(page, "my-data")


def test_wrong_password_shows_an_accessible_error_summary(page, applicant):
    page.goto("/accounts/login/")
    page.fill("#id_username", applicant.email)
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    check_page(page, "sign-in-error")


def test_staff_enrol_totp_then_sign_in_to_admin_with_a_code(page, senior):
    verified(senior)
    sign_in(page, senior.email, next_url="/admin/")
    page.wait_for_url("**/two-factor/setup/**")
    check_page(page, "otp-setup")
    assert page.locator("figure.qr-code svg").count() == 1
    secret = page.inner_text("[data-testid=otp-secret]").replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_otp_token", f"{TOTP(key).token():06d}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/two-factor/recovery-codes/**")
    codes = page.locator("[data-testid=recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    check_page(page, "otp-recovery-codes")
    page.click("main a.button")
    page.wait_for_url("**/admin/")
    check_page(page, "admin-index")

    # A new session: the admin asks for the second factor again; a recovery code works.
    page.context.clear_cookies()
    sign_in(page, senior.email, next_url="/admin/")
    page.wait_for_url("**/two-factor/verify/**")
    check_page(page, "otp-verify")
    page.fill("#id_otp_token", codes[0])
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("#site-name").count() == 1
