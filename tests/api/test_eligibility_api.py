"""Criteria admin and public eligibility endpoints."""

import pytest
from rest_framework.test import APIClient

from eligibility.models import CriteriaSet, RegionYear, ScarceProfession
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


def test_rating_exports_what_was_imported(clients):
    admin = clients["criteria_admin"]
    rows = "isco_code,year,sector,priority\n2511,2025,it,2\n2211,2026,healthcare,1\n"  # export order
    admin.post("/api/v1/rating/import/", {"csv": rows}, format="json")
    exported = admin.get("/api/v1/rating/export/", HTTP_ACCEPT_LANGUAGE="en").json()["csv"]
    assert exported == (
        "isco_code,year,sector,priority,title\n"
        "2511,2025,it,2,Systems analysts\n"
        "2211,2026,healthcare,1,Generalist medical practitioners\n"
    )
    one_year = admin.get("/api/v1/rating/export/?year=2025", HTTP_ACCEPT_LANGUAGE="en").json()["csv"]
    assert one_year.splitlines()[1:] == ["2511,2025,it,2,Systems analysts"]
    refused = admin.get("/api/v1/rating/export/?year=1", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"year": ["Enter a year between 2000 and 2100."]}


REGIONS_GOOD = "region,year,labour_deficient\nKZ-59,2026,true\nKZ-75,2026,no\nKZ-11,2027,1\n"


def test_region_flags_import_writes_every_row_and_scoring_reads_them(clients):
    from eligibility.services import REGIONS_TABLE, reference_tables

    admin = clients["criteria_admin"]
    response = admin.post("/api/v1/region-years/import/", {"csv": REGIONS_GOOD}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 3, "updated": 0}
    assert reference_tables(2026)[REGIONS_TABLE]["KZ-59"] is True
    assert reference_tables(2026)[REGIONS_TABLE]["KZ-75"] is False
    again = admin.post(
        "/api/v1/region-years/import/", {"csv": "region,year,labour_deficient\nKZ-75,2026,true\n"}, format="json"
    )
    assert again.json() == {"created": 0, "updated": 1}
    assert RegionYear.objects.get(region_id="KZ-75", year=2026).labour_deficient is True
    listed = admin.get("/api/v1/region-years/?year=2026&labour_deficient=true").json()["results"]
    assert sorted(r["region"] for r in listed) == ["KZ-59", "KZ-75"]


def test_region_flags_import_names_row_and_column_of_every_problem_and_writes_nothing(clients):
    bad = (
        "region,year,labour_deficient\n"
        "KZ-59,2026,true\n"  # fine, but nothing is written while another row is wrong
        "KZ-99,2026,true\n"
        "KZ-75,1999,maybe\n"
        "KZ-59,2026,false\n"
    )
    response = clients["criteria_admin"].post(
        "/api/v1/region-years/import/", {"csv": bad}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_csv"
    assert set(error["fields"]) == {"row 3.region", "row 4.year", "row 4.labour_deficient", "row 5.region"}
    assert error["fields"]["row 5.region"] == ["KZ-59 is listed twice for 2026"]
    assert not RegionYear.objects.exists()
    missing = clients["criteria_admin"].post(
        "/api/v1/region-years/import/", {"csv": "region,year\n"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert missing.json()["error"]["fields"] == {"row 1.labour_deficient": ["column is missing"]}


def test_region_flags_export_for_a_year_lists_every_region_with_the_flag_in_force(clients):
    import csv
    import io
    from pathlib import Path

    admin = clients["criteria_admin"]
    admin.post("/api/v1/region-years/import/", {"csv": REGIONS_GOOD}, format="json")
    text = admin.get("/api/v1/region-years/export/?year=2026").json()["csv"]
    rows = {r["region"]: r for r in csv.DictReader(io.StringIO(text))}
    shared = Path(__file__).resolve().parents[2] / "eligibility" / "data" / "kz_regions.csv"
    regions = list(csv.DictReader(shared.open(encoding="utf-8")))
    assert set(rows) == {r["iso_3166_2"] for r in regions}  # all 20, as a complete file
    assert rows["KZ-59"]["labour_deficient"] == "true" and rows["KZ-75"]["labour_deficient"] == "false"
    designated = next(r for r in regions if r["iso_3166_2"] == "KZ-10")  # no 2026 row: its designation
    flags = (designated["resettlement_kandas"], designated["resettlement_internal_migrants"])
    assert rows["KZ-10"]["labour_deficient"] == ("true" if "true" in flags else "false")
    # The export imports back unchanged.
    assert admin.post("/api/v1/region-years/import/", {"csv": text}, format="json").json()["created"] == 18
    stored = admin.get("/api/v1/region-years/export/").json()["csv"]
    assert "KZ-11,2027,true,Akmola Region" in stored.splitlines()


def test_quotas_show_places_used_and_remaining(clients):
    response = clients["criteria_admin"].get("/api/v1/quotas/?year=2026")
    assert response.status_code == 200
    rows = response.json()
    assert rows and all(r["remaining"] == r["places"] - r["used"] for r in rows)


def test_other_roles_cannot_administer_criteria(clients):
    for role in ("applicant", "caseworker", "senior", "auditor"):
        assert clients[role].get("/api/v1/criteria-sets/").status_code == 403
        assert clients[role].post("/api/v1/rating/import/", {"csv": "x"}, format="json").status_code == 403
        refused = clients[role].post("/api/v1/region-years/import/", {"csv": REGIONS_GOOD}, format="json")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "role_required"
        assert clients[role].get("/api/v1/region-years/export/").status_code == 403
    assert clients["anonymous"].post("/api/v1/region-years/import/", {"csv": REGIONS_GOOD}).status_code == 401
    assert not RegionYear.objects.exists()


@pytest.mark.parametrize(
    "translations",
    [
        {"Age": {"de": "Alter"}},  # not a portal language
        {"Age": {"kk": "Жа\x00сы"}},  # NUL
        {"Age": {"kk": "\ud800"}},  # lone surrogate
        {"Age": "Жасы"},  # not an object of languages
    ],
)
def test_import_refuses_hostile_or_malformed_translations_with_a_400(clients, translations):
    import copy
    import json

    from tests.eligibility.engine_helpers import fixture

    data = copy.deepcopy(fixture("kandas_card_example.json"))
    data["translations"] = translations
    before = CriteriaSet.objects.count()
    # Sent as JSON text (ASCII escapes), as a client would: a lone surrogate cannot be UTF-8.
    body = json.dumps(data)
    response = clients["criteria_admin"].post("/api/v1/criteria-sets/import/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert CriteriaSet.objects.count() == before


def test_the_self_check_questions_come_in_the_requested_language():
    seed_set("kandas_card")
    client = APIClient()
    facts = client.get("/api/v1/public/self-check/kandas_card/", HTTP_ACCEPT_LANGUAGE="ru").json()["facts"]
    assert {f["name"]: f["label"] for f in facts}["age"] == "Ваш возраст"
