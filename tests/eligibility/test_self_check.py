"""Public self-check: no account, three languages, explained result, nothing stored."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from applications.models import Application
from eligibility.models import RegionYear, ScarceProfession
from portal.audit.models import AuditEvent
from tests.eligibility.db_helpers import seed_set

pytestmark = pytest.mark.django_db

KANDAS_ANSWERS = {
    "ethnic_kazakh_proof": "yes",
    "citizenship": "uz",
    "track": "professional",
    "age": "34",
    "education": "master",
    "experience_years": "6",
    "kazakh_language": "basic",
    "business_turnover_usd": "",
    "occupation_code": "2211",
    "region": "KZ-59",
}


@pytest.fixture
def published(db):
    ScarceProfession.objects.create(occupation_id="2211", year=2026, sector="healthcare", priority=1)
    RegionYear.objects.create(region_id="KZ-59", year=2026, labour_deficient=True)
    return {"kandas_card": seed_set("kandas_card"), "skills_visa": seed_set("skills_visa")}


@pytest.mark.parametrize(
    ("lang", "skip_link"),
    [("kk", "Негізгі мазмұнға өту"), ("ru", "Перейти к основному содержанию"), ("en", "Skip to main content")],
)
def test_questions_page_opens_without_an_account_in_each_language(client, published, lang, skip_link):
    client.cookies["portal_language"] = lang
    response = client.get(reverse("eligibility:self_check", args=["kandas_card"]) + "?all=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert skip_link in html
    assert 'name="ethnic_kazakh_proof"' in html and 'name="occupation_code"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_result_shows_status_breakdown_and_hints(client, published):
    response = client.post(reverse("eligibility:self_check", args=["kandas_card"]), KANDAS_ANSWERS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are likely to meet the criteria" in html
    result = response.context["result"]
    assert (result["status"], result["total"], result["pass_mark"]) == ("pass", 85, 40)
    assert any(line["label"] == "Scarce profession" and line["points"] == 20 for line in result["lines"])
    assert result["hints"], "what would raise it"
    assert result["failed"] == []


def test_failed_knockout_is_named(client, published):
    answers = {**KANDAS_ANSWERS, "citizenship": "KZ"}
    result = client.post(reverse("eligibility:self_check", args=["kandas_card"]), answers).context["result"]
    assert result["status"] == "fail"
    assert result["failed"] == ["You must hold a citizenship other than Kazakhstan's"]


def test_bad_answers_get_an_error_summary_and_keep_what_was_typed(client, published):
    answers = {**KANDAS_ANSWERS, "age": "thirty", "track": ""}
    response = client.post(reverse("eligibility:self_check", args=["kandas_card"]), answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Enter a number for: Your age" in html
    assert "Answer the question: How do you want to apply?" in html
    assert 'value="thirty"' in html


def test_nothing_entered_is_stored(client, published):
    before = (Application.objects.count(), AuditEvent.objects.count(), Session.objects.count())
    client.post(
        reverse("eligibility:self_check", args=["skills_visa"]),
        {"sector": "it", "age": "30", "education": "master", "experience_years": "5"},
    )
    assert (Application.objects.count(), AuditEvent.objects.count(), Session.objects.count()) == before
    assert "sessionid" not in client.cookies


def test_product_without_published_criteria_is_404(client, db):
    assert client.get(reverse("eligibility:self_check", args=["kandas_card"])).status_code == 404
    assert client.get(reverse("eligibility:self_check", args=["nope"])).status_code == 404


def test_start_page_lists_products(client, published):
    response = client.get(reverse("eligibility:self_check_start"))
    assert response.status_code == 200
    assert reverse("eligibility:self_check", args=["skills_visa"]) in response.content.decode()


def test_one_question_per_page_then_check_your_answers_then_result(client, published):
    url = reverse("eligibility:self_check", args=["kandas_card"])
    first = client.get(url)
    assert first.templates[0].name == "eligibility/self_check_question.html"
    assert first.context["field"].name == "ethnic_kazakh_proof"
    carried: dict = {}
    order = [
        "ethnic_kazakh_proof",
        "citizenship",
        "track",
        "age",
        "education",
        "experience_years",
        "business_turnover_usd",
        "kazakh_language",
        "occupation_code",
        "region",
    ]
    for step, name in enumerate(order):
        response = client.post(url, {**carried, "step": step, "action": "next", name: KANDAS_ANSWERS[name]})
        carried[name] = KANDAS_ANSWERS[name]
        if step < len(order) - 1:
            assert response.status_code == 200
            assert response.context["field"].name == order[step + 1]
            # earlier answers travel in hidden fields, not in a session
            assert f'name="{name}" value="{KANDAS_ANSWERS[name]}"' in response.content.decode()
    assert response.templates[0].name == "eligibility/self_check_answers.html"
    rows = {r["question"]: r["answer"] for r in response.context["rows"]}
    assert rows["Your age"] == "34" and rows["How do you want to apply?"] == "As a high-level professional"
    result = client.post(url, {**carried, "action": "result"})
    assert result.context["result"]["status"] == "pass"
    assert "sessionid" not in client.cookies


def test_a_bad_answer_stays_on_its_page_with_an_error_and_back_works(client, published):
    url = reverse("eligibility:self_check", args=["kandas_card"])
    carried = {"ethnic_kazakh_proof": "yes", "citizenship": "UZ", "track": "business"}
    response = client.post(url, {**carried, "step": 3, "action": "next", "age": "old"})
    assert response.status_code == 400
    assert response.context["field"].name == "age"
    assert 'class="error-summary"' in response.content.decode()
    back = client.post(url, {**carried, "step": 3, "action": "back"})
    assert back.context["field"].name == "track"
    assert back.context["field"].value() == "business"  # the earlier answer is kept
