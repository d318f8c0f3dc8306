"""The answers an applicant gives through the forms become the facts the criteria read."""

from datetime import date

import pytest

from applications.facts import age_on, application_facts
from applications.sections import required_document_kinds
from eligibility.services import evaluator_for
from tests.applications.applicant.conftest import KANDAS_PAGES, VISA_PAGES, add_ready_documents, fill_pages
from tests.eligibility.db_helpers import seed_set


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [("1990-05-17", date(2026, 5, 16), 35), ("1990-05-17", date(2026, 5, 17), 36), ("", date(2026, 1, 1), None),
     ("not-a-date", date(2026, 1, 1), None), ("2000-02-29", date(2026, 2, 28), 25)],
)  # fmt: skip
def test_age_is_completed_years_on_the_day(born, on, age):
    assert age_on(born, on) == age


def test_a_kandas_application_filled_through_the_pages_scores_without_missing_facts(applicant_client, kandas_draft):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    add_ready_documents(kandas_draft)
    kandas_draft.refresh_from_db()
    facts = application_facts(kandas_draft, on=date(2026, 11, 24))
    assert facts["ethnic_kazakh_proof"] is True
    assert facts["citizenship"] == "MN" and facts["track"] == "professional"
    assert (facts["age"], facts["education"], facts["experience_years"]) == (36, "master", 8)
    assert (facts["occupation_code"], facts["region"]) == ("2512", "KZ-55")
    # The Kandas pages ask about Kazakh: "intermediate" (B1-B2) is the criteria's "basic", 5 points.
    assert facts["kazakh_language"] == "basic"
    result = evaluator_for(seed_set("kandas_card")).evaluate(facts)
    assert result.missing_facts == [] and result.invalid_facts == []
    assert result.failed_knockouts == [] and result.passed
    assert result.line("kazakh_language").points == 5


def test_kazakh_that_earns_points_needs_a_language_certificate(kandas_draft):
    """Evidence where the criteria reward it: none for "none", a certificate otherwise."""
    answers = {"languages": {"kazakh": "none"}}
    assert "language_certificate" not in required_document_kinds("kandas_card", "professional", answers)
    for level in ("basic", "intermediate", "advanced", "native"):
        answers = {"languages": {"kazakh": level}}
        assert "language_certificate" in required_document_kinds("kandas_card", "professional", answers)


def test_without_ethnicity_evidence_the_kandas_knockout_fails(applicant_client, kandas_draft):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    kandas_draft.refresh_from_db()
    facts = application_facts(kandas_draft)
    assert facts["ethnic_kazakh_proof"] is False
    result = evaluator_for(seed_set("kandas_card")).evaluate(facts)
    assert [k.knockout for k in result.failed_knockouts] == ["ethnic_kazakh"] and not result.passed


def test_a_visa_application_maps_offer_languages_and_achievements(applicant_client, visa_draft):
    fill_pages(applicant_client, visa_draft, VISA_PAGES)
    visa_draft.refresh_from_db()
    facts = application_facts(visa_draft, on=date(2026, 11, 24))
    assert facts["sector"] == "it" and facts["education"] == "doctorate" and facts["experience_years"] == 10
    assert facts["has_job_offer"] is True and facts["monthly_salary_kzt"] == 2_500_000
    assert (facts["kazakh_level"], facts["russian_level"], facts["english_level"]) == ("a2", "b1", "c1")
    assert facts["achievements"] == "national"
    result = evaluator_for(seed_set("skills_visa")).evaluate(facts)
    assert result.missing_facts == [] and result.invalid_facts == [] and result.passed


def test_unfinished_sections_are_not_facts(applicant_client, visa_draft):
    fill_pages(applicant_client, visa_draft, {"personal": VISA_PAGES["personal"]})
    visa_draft.refresh_from_db()
    facts = application_facts(visa_draft)
    assert "education" not in facts and "has_job_offer" not in facts
    assert facts["citizenship"] == "DE"
