"""The sections every product asks refuse bad input with a specific message, in the user's language."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from applications.forms.common import PassportForm, PersonalForm, add_months
from tests.applications.applicant.conftest import KANDAS_PAGES
from tests.applications.forms.helpers import errors, in_english, parts  # noqa: F401  # in_english: autouse

pytestmark = pytest.mark.django_db


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    found = errors(PersonalForm, {**KANDAS_PAGES["personal"], **parts("date_of_birth", tomorrow)})
    assert found["date_of_birth"] == ["Date of birth must be in the past"]


def test_an_impossible_date_and_a_missing_part_get_their_own_messages():
    found = errors(
        PersonalForm,
        {**KANDAS_PAGES["personal"], "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": ""},
    )
    assert found["date_of_birth"] == ["The date of birth must include a year"]
    found = errors(
        PersonalForm,
        {**KANDAS_PAGES["personal"], "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"},
    )
    assert found["date_of_birth"] == ["The date of birth must be a real date"]


def test_passport_expiry_before_issue_is_refused():
    data = {
        **KANDAS_PAGES["passport"],
        **parts("passport_issued_on", date(2024, 5, 1)),
        **parts("passport_expires_on", date(2024, 4, 1)),
    }
    assert errors(PassportForm, data)["passport_expires_on"] == ["Expiry date must be after the date of issue"]


def test_an_expired_passport_is_refused():
    data = {
        **KANDAS_PAGES["passport"],
        **parts("passport_issued_on", date(2014, 5, 1)),
        **parts("passport_expires_on", timezone.localdate() - timedelta(days=3)),
    }
    assert errors(PassportForm, data)["passport_expires_on"] == [
        "Your passport has expired: apply with a valid passport"
    ]


def test_a_passport_expiring_within_six_months_is_refused_and_one_beyond_is_accepted():
    soon = timezone.localdate() + timedelta(days=150)
    data = {**KANDAS_PAGES["passport"], **parts("passport_expires_on", soon)}
    assert errors(PassportForm, data)["passport_expires_on"] == [
        "Your passport expires within 6 months: renew it before you apply"
    ]
    later = add_months(timezone.localdate(), 6) + timedelta(days=1)
    assert PassportForm({**KANDAS_PAGES["passport"], **parts("passport_expires_on", later)}).is_valid()


def test_a_passport_issued_in_the_future_is_refused():
    data = {**KANDAS_PAGES["passport"], **parts("passport_issued_on", timezone.localdate() + timedelta(days=2))}
    assert errors(PassportForm, data)["passport_issued_on"] == ["Date of issue must be today or in the past"]


@pytest.mark.parametrize("name", ["Айгерим", "艾格里姆", "Aigerim2", "Аigerim"])
def test_non_latin_characters_are_refused_where_latin_is_required(name):
    found = errors(PersonalForm, {**KANDAS_PAGES["personal"], "given_names_latin": name})
    assert found["given_names_latin"] == [
        "Use only Latin letters A to Z, as in the machine-readable part of your passport"
    ]


def test_latin_letters_where_cyrillic_is_asked_are_refused():
    found = errors(PersonalForm, {**KANDAS_PAGES["personal"], "family_name_cyrillic": "Nurlanova"})
    assert found["family_name_cyrillic"] == ["Use only Cyrillic letters, as in Kazakh or Russian documents"]


def test_a_kazakhstan_citizen_cannot_apply_for_the_kandas_card():
    class Draft:
        product = "kandas_card"

    found = errors(PersonalForm, {**KANDAS_PAGES["personal"], "citizenship": "KZ"}, application=Draft())
    assert "not Kazakhstan's" in found["citizenship"][0]


def test_messages_are_in_the_users_language():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with translation.override("ru"):
        found = errors(PersonalForm, {**KANDAS_PAGES["personal"], **parts("date_of_birth", tomorrow)})
    assert found["date_of_birth"] != ["Date of birth must be in the past"]
    assert found["date_of_birth"][0]
