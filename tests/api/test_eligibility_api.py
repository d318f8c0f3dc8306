"""Criteria admin and public eligibility endpoints."""

import pytest
from rest_framework.test import APIClient

from eligibility.models import CriteriaSet, ScarceProfession
from tests.eligibility.db_helpers import seed_set

pytestmark = pytest.mark.django_db

ANSWERS = {
    "ethnic_kazakh_proof": "yes",
    "citizenship": "uz",
    "track": "professional",
    "age": 34,
    "education": "master",
    "experience_years": 6,
    "kazakh_language": "basic",
    "occupation_code": "2211",
    "region": "KZ-59",
}


def test_anyone_scores_a_self_check_against_the_published_criteria():
    seed_set("kandas_card")
    client = APIClient()
    questions = client.get("/api/v1/public/self-check/kandas_card/")
    assert questions.status_code == 200
    assert {f["name"] for f in questions.json()["facts"]} >= {"age", "education"}
    result = client.post("/api/v1/public/self-check/kandas_card/", {"answers": ANSWERS}, format="json")
    assert result.status_code == 200, result.content
    body = result.json()
    assert body["status"] in ("pass", "fail", "needs_more_information")
    assert body["lines"] and isinstance(body["total"], int | float)


def test_self_check_names_invalid_answers():
    seed_set("kandas_card")
    response = APIClient().post(
        "/api/v1/public/self-check/kandas_card/", {"answers": {**ANSWERS, "age": "old"}}, format="json"
    )
    assert response.status_code == 400
    assert "answers.age" in response.json()["error"]["fields"]


def test_self_check_without_published_criteria_is_404():
    assert APIClient().get("/api/v1/public/self-check/skills_visa/").status_code == 404


def test_criteria_admin_exports_imports_and_publishes(clients):
    published = seed_set("kandas_card")
    admin = clients["criteria_admin"]
    exported = admin.get(f"/api/v1/criteria-sets/{published.pk}/export/")
    assert exported.status_code == 200
    imported = admin.post("/api/v1/criteria-sets/import/", exported.json(), format="json")
    assert imported.status_code == 201, imported.content
    draft_id = imported.json()["id"]
    assert imported.json()["status"] == "draft"
    done = admin.post(f"/api/v1/criteria-sets/{draft_id}/publish/")
    assert done.status_code == 200, done.content
    published.refresh_from_db()
    assert published.status == "retired"
    assert CriteriaSet.objects.get(pk=draft_id).status == "published"
    again = admin.post(f"/api/v1/criteria-sets/{published.pk}/draft/")
    assert again.status_code == 201 and again.json()["status"] == "draft"


def test_import_reports_every_problem_and_writes_nothing(clients):
    before = CriteriaSet.objects.count()
    response = clients["criteria_admin"].post("/api/v1/criteria-sets/import/", {"product": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_criteria"
    assert CriteriaSet.objects.count() == before


def test_rating_csv_import_is_all_or_nothing(clients):
    admin = clients["criteria_admin"]
    good = "isco_code,year,sector,priority\n2211,2026,healthcare,1\n2511,2026,it,2\n"
    response = admin.post("/api/v1/rating/import/", {"csv": good}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    bad = "isco_code,year,sector,priority\n2211,2026,healthcare,1\n99,2026,it,2\n"
    refused = admin.post("/api/v1/rating/import/", {"csv": bad}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_csv"
    assert ScarceProfession.objects.count() == 2
    assert len(admin.get("/api/v1/rating/").json()["results"]) == 2


def test_quotas_show_places_used_and_remaining(clients):
    response = clients["criteria_admin"].get("/api/v1/quotas/?year=2026")
    assert response.status_code == 200
    rows = response.json()
    assert rows and all(r["remaining"] == r["places"] - r["used"] for r in rows)


def test_other_roles_cannot_administer_criteria(clients):
    for role in ("applicant", "caseworker", "senior", "auditor"):
        assert clients[role].get("/api/v1/criteria-sets/").status_code == 403
        assert clients[role].post("/api/v1/rating/import/", {"csv": "x"}, format="json").status_code == 403
