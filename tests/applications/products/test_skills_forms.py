"""The Valuable Skills Visa's own sections refuse bad input with a specific message."""

import pytest

from applications.products.skills_forms import JobOfferForm, OccupationForm, RegionsForm
from tests.applications.applicant.conftest import VISA_PAGES
from tests.applications.forms.helpers import errors, in_english  # noqa: F401  # in_english: autouse

pytestmark = pytest.mark.django_db


def test_an_unknown_occupation_code_is_refused():
    found = errors(OccupationForm, {**VISA_PAGES["occupation"], "occupation_code": "9998"})
    assert found["occupation_code"] == ["9998 is not an ISCO-08 occupation code: choose your occupation from the list"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345678901", "BIN must be 12 digits, like 123456789012"),
        ("12345678901A", "BIN must be 12 digits, like 123456789012"),
        ("123456789012", "This BIN is not valid: check the 12 digits"),
    ],
)
def test_the_bin_must_have_twelve_digits_and_a_right_check_digit(value, message):
    found = errors(JobOfferForm, {**VISA_PAGES["job_offer"], "employer_bin": value})
    assert found["employer_bin"] == [message]


def test_a_job_offer_needs_employer_bin_and_salary_but_no_offer_needs_none():
    found = errors(JobOfferForm, {"has_offer": "yes"})
    assert set(found) == {"employer_name", "employer_bin", "monthly_salary_kzt"}
    form = JobOfferForm({"has_offer": "no", "employer_bin": "nonsense"})
    assert not form.is_valid()  # a wrong BIN is still wrong
    assert JobOfferForm({"has_offer": "no"}).is_valid()


def test_more_than_three_regions_are_refused():
    found = errors(RegionsForm, {"regions": ["KZ-71", "KZ-75", "KZ-79", "KZ-55"]})
    assert found["regions"] == ["Choose no more than 3 regions"]
