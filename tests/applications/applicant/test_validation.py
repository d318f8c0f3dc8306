"""Bad input gets a specific message (the issue's list), in the user's language."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from applications import forms
from tests.applications.applicant.conftest import KANDAS_PAGES, VISA_PAGES

pytestmark = pytest.mark.django_db


def parts(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def errors(form_class, data, **kwargs) -> dict:
    form = form_class(data, **kwargs)
    assert not form.is_valid()
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    found = errors(forms.PersonalForm, {**KANDAS_PAGES["personal"], **parts("date_of_birth", tomorrow)})
    assert found["date_of_birth"] == ["Date of birth must be in the past"]


def test_an_impossible_date_and_a_missing_part_get_their_own_messages():
    found = errors(
        forms.PersonalForm,
        {**KANDAS_PAGES["personal"], "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": ""},
    )
    assert found["date_of_birth"] == ["The date of birth must include a year"]
    found = errors(
        forms.PersonalForm,
        {**KANDAS_PAGES["personal"], "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"},
    )
    assert found["date_of_birth"] == ["The date of birth must be a real date"]


def test_passport_expiry_before_issue_is_refused():
    data = {
        **KANDAS_PAGES["passport"],
        **parts("passport_issued_on", date(2024, 5, 1)),
        **parts("passport_expires_on", date(2024, 4, 1)),
    }
    assert errors(forms.PassportForm, data)["passport_expires_on"] == ["Expiry date must be after the date of issue"]


def test_an_expired_passport_is_refused():
    data = {
        **KANDAS_PAGES["passport"],
        **parts("passport_issued_on", date(2014, 5, 1)),
        **parts("passport_expires_on", timezone.localdate() - timedelta(days=3)),
    }
    assert errors(forms.PassportForm, data)["passport_expires_on"] == [
        "Your passport has expired: apply with a valid passport"
    ]


def test_a_passport_expiring_within_six_months_is_refused_and_one_beyond_is_accepted():
    soon = timezone.localdate() + timedelta(days=150)
    data = {**KANDAS_PAGES["passport"], **parts("passport_expires_on", soon)}
    assert errors(forms.PassportForm, data)["passport_expires_on"] == [
        "Your passport expires within 6 months: renew it before you apply"
    ]
    later = forms.add_months(timezone.localdate(), 6) + timedelta(days=1)
    assert forms.PassportForm({**KANDAS_PAGES["passport"], **parts("passport_expires_on", later)}).is_valid()


def test_a_passport_issued_in_the_future_is_refused():
    data = {**KANDAS_PAGES["passport"], **parts("passport_issued_on", timezone.localdate() + timedelta(days=2))}
    assert errors(forms.PassportForm, data)["passport_issued_on"] == ["Date of issue must be today or in the past"]


def test_an_unknown_occupation_code_is_refused():
    found = errors(forms.OccupationForm, {**VISA_PAGES["occupation"], "occupation_code": "9998"})
    assert found["occupation_code"] == ["9998 is not an ISCO-08 occupation code: choose your occupation from the list"]


@pytest.mark.parametrize("name", ["Айгерим", "艾格里姆", "Aigerim2", "Аigerim"])
def test_non_latin_characters_are_refused_where_latin_is_required(name):
    found = errors(forms.PersonalForm, {**KANDAS_PAGES["personal"], "given_names_latin": name})
    assert found["given_names_latin"] == [
        "Use only Latin letters A to Z, as in the machine-readable part of your passport"
    ]


def test_latin_letters_where_cyrillic_is_asked_are_refused():
    found = errors(forms.PersonalForm, {**KANDAS_PAGES["personal"], "family_name_cyrillic": "Nurlanova"})
    assert found["family_name_cyrillic"] == ["Use only Cyrillic letters, as in Kazakh or Russian documents"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345678901", "BIN must be 12 digits, like 123456789012"),
        ("12345678901A", "BIN must be 12 digits, like 123456789012"),
        ("123456789012", "This BIN is not valid: check the 12 digits"),
    ],
)
def test_the_bin_must_have_twelve_digits_and_a_right_check_digit(value, message):
    found = errors(forms.JobOfferForm, {**VISA_PAGES["job_offer"], "employer_bin": value})
    assert found["employer_bin"] == [message]


def test_a_job_offer_needs_employer_bin_and_salary_but_no_offer_needs_none():
    found = errors(forms.JobOfferForm, {"has_offer": "yes"})
    assert set(found) == {"employer_name", "employer_bin", "monthly_salary_kzt"}
    form = forms.JobOfferForm({"has_offer": "no", "employer_bin": "nonsense"})
    assert not form.is_valid()  # a wrong BIN is still wrong
    assert forms.JobOfferForm({"has_offer": "no"}).is_valid()


def test_a_kazakhstan_citizen_cannot_apply_for_the_kandas_card():
    class Draft:
        product = "kandas_card"

    found = errors(forms.PersonalForm, {**KANDAS_PAGES["personal"], "citizenship": "KZ"}, application=Draft())
    assert "not Kazakhstan's" in found["citizenship"][0]


def test_more_than_three_regions_are_refused():
    found = errors(forms.RegionsForm, {"regions": ["KZ-71", "KZ-75", "KZ-79", "KZ-55"]})
    assert found["regions"] == ["Choose no more than 3 regions"]


def test_messages_are_in_the_users_language():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with translation.override("ru"):
        found = errors(forms.PersonalForm, {**KANDAS_PAGES["personal"], **parts("date_of_birth", tomorrow)})
    assert found["date_of_birth"] != ["Date of birth must be in the past"]
    assert found["date_of_birth"][0]


def test_bin_check_digit_follows_the_two_pass_rule():
    assert forms.bin_is_valid("123456789013")
    assert forms.bin_is_valid("980440001232")
    assert not forms.bin_is_valid("980440001233")
