from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse

from applications.employers.models import Employer
from portal import roles
from portal.audit.models import AuditEvent
from portal.models import User

pytestmark = pytest.mark.django_db

URL = "/employers/sign-up/"
GOOD = {
    "legal_name": "Dala Build LLP",
    "bin": "980440001232",
    "regions": ["KZ-55", "KZ-75"],
    "email": "hr@dala.example.kz",
    "password1": "correct-horse-battery-9",
    "password2": "correct-horse-battery-9",
    "preferred_language": "ru",
}


def test_the_sign_up_page_is_at_its_published_address():
    assert reverse("employers:signup") == URL


def test_an_employer_signs_up_with_a_pending_organisation_and_a_verification_email(client):
    mail.outbox.clear()
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get(email="hr@dala.example.kz")
    assert roles.roles_of(user) == {roles.EMPLOYER}  # not an applicant
    employer = Employer.objects.get(contact=user)
    assert (employer.legal_name, employer.bin, employer.status) == ("Dala Build LLP", "980440001232", "pending")
    assert sorted(employer.regions.values_list("pk", flat=True)) == ["KZ-55", "KZ-75"]
    assert employer.registry_checked_at is None
    assert AuditEvent.objects.filter(action="employer.signed_up", object_id=str(employer.pk)).count() == 1
    assert len(mail.outbox) == 1 and "/accounts/verify/" in mail.outbox[0].body


def test_an_address_already_registered_creates_nothing_and_looks_the_same(client, applicant):
    response = client.post(URL, {**GOOD, "email": applicant.email})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup_done")
    assert not Employer.objects.exists()
    assert roles.roles_of(User.objects.get(pk=applicant.pk)) == {roles.APPLICANT}


@pytest.mark.parametrize(
    ("language", "changes", "message"),
    [
        ("ru", {"bin": "980440001233"}, "Этот БИН недействителен: проверьте 12 цифр"),
        ("ru", {"bin": "98044000123"}, "БИН должен состоять из 12 цифр, например 123456789012"),
        ("ru", {"regions": []}, "Выберите хотя бы один регион работы"),
        ("ru", {"legal_name": ""}, "Введите официальное наименование организации"),
        ("kk", {"bin": "980440001233"}, "Бұл БСН жарамсыз: 12 цифрды тексеріңіз"),
        ("kk", {"regions": []}, "Кемінде бір жұмыс өңірін таңдаңыз"),
        ("kk", {"legal_name": ""}, "Ұйымның ресми атауын енгізіңіз"),
    ],
)
def test_errors_are_in_the_page_language_with_an_error_summary(client, settings, language, changes, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(URL, {**GOOD, **changes})
    page = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in page and message in page
    assert not Employer.objects.exists() and not User.objects.filter(email=GOOD["email"]).exists()


def test_a_bin_already_registered_is_refused(client, employer):
    response = client.post(URL, {**GOOD, "bin": "123456789013"})
    assert response.status_code == 400
    assert "An organisation with this BIN already has an account" in response.content.decode()


@pytest.mark.parametrize("bad", ["98044000%001232", "980440001232%ED%A0%80", "9" * 5000, "%D9%A9%D9%A8%D9%A0"])
def test_hostile_bins_get_a_400_never_a_500(client, bad):
    # Sent as raw form bytes: NUL, an encoded lone surrogate, a huge number, Arabic-Indic digits.
    body = urlencode({k: v for k, v in GOOD.items() if k not in ("regions", "bin")}) + "&regions=KZ-55&bin=" + bad
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not Employer.objects.exists()


def test_the_organisation_page_shows_only_the_employers_own_organisation(client, employer):
    employer.email_verified_at = employer.date_joined
    employer.save(update_fields=["email_verified_at"])
    client.force_login(employer)
    page = client.get(reverse("employers:organisation")).content.decode()
    assert "ACME LLP" in page and "123456789013" in page and "Pavlodar" in page


def test_the_organisation_page_is_404_for_an_applicant(client, applicant):
    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    client.force_login(applicant)
    assert client.get(reverse("employers:organisation")).status_code == 404


def test_employer_sign_up_shares_the_account_email_limits(client, settings):
    # The same limit as the applicants' sign-up (portal.accounts.services.account_email_allowed),
    # counted together: one client cannot flood mailboxes through either page.
    settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = 2
    mail.outbox.clear()
    client.post(
        reverse("accounts:signup"),
        {k: GOOD[k] for k in ("password1", "password2", "preferred_language")} | {"email": "a@example.org"},
        REMOTE_ADDR="198.51.100.7",
    )
    bins = ["123456789013", "100000000205", "980440001232"]
    for n, bin_ in enumerate(bins):
        data = {**GOOD, "email": f"hr{n}@example.kz", "bin": bin_}
        assert client.post(URL, data, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert len(mail.outbox) == 2
    assert Employer.objects.count() == 3  # accounts are made; the link can be asked for again later
