"""Every endpoint x every role: who gets through, who gets 401/403, whose objects are 404.

"ok" means the caller got past authentication and access (any answer but 401, 403, 404
and 5xx: a 400 for a deliberately incomplete body still proves access). Object endpoints
use the applicant's own draft or case; the stranger (another applicant) and caseworkers
outside the case's queue must get 404, as if the object did not exist.
"""

from datetime import date

import pytest
from rest_framework.test import APIClient

from applications.statistics.services import release_compute
from portal.api.tokens import api_token_create
from tests.api.conftest import api_token_for, make_application, verify
from tests.applications.casework.conftest import build_case
from tests.eligibility.db_helpers import seed_set

ROLES = [
    "anonymous",
    "applicant",
    "stranger",
    "caseworker",
    "caseworker_outside",
    "senior",
    "criteria_admin",
    "auditor",
    # Employers (issue 19): only their own account here; every applicant and staff operation refused.
    "employer",
    # Analysts (issue 17): their own account only; the dashboards are pages, no case, no person here.
    "analyst",
]
STAFF = ["caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor", "analyst"]
APPLICANTS = ["applicant", "stranger"]
CASEWORK = ["caseworker", "caseworker_outside", "senior"]


def everyone(result: str = "ok", anonymous: str = "401") -> dict[str, str]:
    return {role: (anonymous if role == "anonymous" else result) for role in ROLES}


def only(allowed: dict[str, str], otherwise: str = "403") -> dict[str, str]:
    out = everyone(otherwise)
    out.update(allowed)
    return out


OWN_DRAFT = only({"applicant": "ok", "stranger": "404"})
OWN_CASE = only({"applicant": "ok", "stranger": "404"})
CASE_READ = only({"caseworker": "ok", "senior": "ok", "auditor": "ok", "caseworker_outside": "404"})
CASE_WORK = only({"caseworker": "ok", "senior": "ok", "caseworker_outside": "404"})
SENIOR_WORK = only({"senior": "ok"})
ADMIN = only({"criteria_admin": "ok"})
PUBLIC = everyone("ok", anonymous="ok")

# (method, schema path, concrete path, body, expectations)
MATRIX = [
    ("GET", "/api/v1/me/", "/api/v1/me/", None, everyone()),
    ("PATCH", "/api/v1/me/", "/api/v1/me/", {"full_name": "Renamed"}, everyone()),
    ("GET", "/api/v1/me/tokens/", "/api/v1/me/tokens/", None, everyone()),
    # Staff tokens are not issued by tokens (two-factor policy): 403 two_factor_required.
    (
        "POST",
        "/api/v1/me/tokens/",
        "/api/v1/me/tokens/",
        {"scope": "read"},
        only(dict.fromkeys([*APPLICANTS, "employer"], "ok")),
    ),
    ("DELETE", "/api/v1/me/tokens/{id}/", "/api/v1/me/tokens/{token}/", None, only({"applicant": "ok"}, "404")),
    ("GET", "/api/v1/applications/", "/api/v1/applications/", None, only(dict.fromkeys(APPLICANTS, "ok"))),
    ("POST", "/api/v1/applications/", "/api/v1/applications/", {"product": "?"}, only(dict.fromkeys(APPLICANTS, "ok"))),
    ("GET", "/api/v1/applications/{id}/", "/api/v1/applications/{draft}/", None, OWN_DRAFT),
    (
        "GET",
        "/api/v1/applications/{id}/sections/{section}/",
        "/api/v1/applications/{draft}/sections/personal/",
        None,
        OWN_DRAFT,
    ),
    (
        "PUT",
        "/api/v1/applications/{id}/sections/{section}/",
        "/api/v1/applications/{draft}/sections/personal/",
        {},
        OWN_DRAFT,
    ),
    ("GET", "/api/v1/applications/{id}/documents/", "/api/v1/applications/{draft}/documents/", None, OWN_DRAFT),
    ("POST", "/api/v1/applications/{id}/documents/", "/api/v1/applications/{draft}/documents/", {}, OWN_DRAFT),
    ("POST", "/api/v1/applications/{id}/submit/", "/api/v1/applications/{draft}/submit/", None, OWN_DRAFT),
    ("GET", "/api/v1/applications/{id}/timeline/", "/api/v1/applications/{case}/timeline/", None, OWN_CASE),
    ("POST", "/api/v1/applications/{id}/reply/", "/api/v1/applications/{case}/reply/", {}, OWN_CASE),
    ("POST", "/api/v1/applications/{id}/withdraw/", "/api/v1/applications/{case}/withdraw/", None, OWN_CASE),
    ("POST", "/api/v1/applications/{id}/review/", "/api/v1/applications/{case}/review/", {}, OWN_CASE),
    (
        "POST",
        "/api/v1/applications/{id}/review/withdraw/",
        "/api/v1/applications/{case}/review/withdraw/",
        None,
        OWN_CASE,
    ),
    ("GET", "/api/v1/cards/", "/api/v1/cards/", None, only(dict.fromkeys(APPLICANTS, "ok"))),
    ("GET", "/api/v1/cards/{number}/", "/api/v1/cards/{card}/", None, OWN_CASE),
    ("GET", "/api/v1/cards/{number}/share-codes/", "/api/v1/cards/{card}/share-codes/", None, OWN_CASE),
    ("POST", "/api/v1/cards/{number}/share-codes/", "/api/v1/cards/{card}/share-codes/", {"purpose": "work"}, OWN_CASE),
    (
        "DELETE",
        "/api/v1/cards/{number}/share-codes/{code_pk}/",
        "/api/v1/cards/{card}/share-codes/{share}/",
        None,
        OWN_CASE,
    ),
    ("POST", "/api/v1/public/verify/", "/api/v1/public/verify/", {"number": "x", "code": "y"}, PUBLIC),
    ("GET", "/api/v1/casework/queues/", "/api/v1/casework/queues/", None, only(dict.fromkeys(CASEWORK, "ok"))),
    (
        "GET",
        "/api/v1/casework/legal-grounds/",
        "/api/v1/casework/legal-grounds/",
        None,
        only({**dict.fromkeys(CASEWORK, "ok"), "auditor": "ok"}),
    ),
    (
        "GET",
        "/api/v1/casework/cases/",
        "/api/v1/casework/cases/",
        None,
        only({**dict.fromkeys(CASEWORK, "ok"), "auditor": "ok"}),
    ),
    (
        "POST",
        "/api/v1/casework/cases/claim-next/",
        "/api/v1/casework/cases/claim-next/",
        None,
        only(dict.fromkeys(CASEWORK, "ok")),
    ),
    ("GET", "/api/v1/casework/cases/{id}/", "/api/v1/casework/cases/{case}/", None, CASE_READ),
    ("POST", "/api/v1/casework/cases/{id}/claim/", "/api/v1/casework/cases/{case}/claim/", None, CASE_WORK),
    (
        "POST",
        "/api/v1/casework/cases/{id}/resume-review/",
        "/api/v1/casework/cases/{case}/resume-review/",
        None,
        CASE_WORK,
    ),
    ("POST", "/api/v1/casework/cases/{id}/request-info/", "/api/v1/casework/cases/{case}/request-info/", {}, CASE_WORK),
    ("POST", "/api/v1/casework/cases/{id}/recommend/", "/api/v1/casework/cases/{case}/recommend/", {}, CASE_WORK),
    ("POST", "/api/v1/casework/cases/{id}/confirm/", "/api/v1/casework/cases/{case}/confirm/", {}, SENIOR_WORK),
    ("POST", "/api/v1/casework/cases/{id}/send-back/", "/api/v1/casework/cases/{case}/send-back/", {}, SENIOR_WORK),
    ("GET", "/api/v1/criteria-sets/", "/api/v1/criteria-sets/", None, ADMIN),
    ("GET", "/api/v1/criteria-sets/{id}/", "/api/v1/criteria-sets/{criteria}/", None, ADMIN),
    ("GET", "/api/v1/criteria-sets/{id}/export/", "/api/v1/criteria-sets/{criteria}/export/", None, ADMIN),
    ("POST", "/api/v1/criteria-sets/import/", "/api/v1/criteria-sets/import/", {}, ADMIN),
    ("POST", "/api/v1/criteria-sets/{id}/draft/", "/api/v1/criteria-sets/{criteria}/draft/", None, ADMIN),
    ("POST", "/api/v1/criteria-sets/{id}/publish/", "/api/v1/criteria-sets/{criteria}/publish/", None, ADMIN),
    ("GET", "/api/v1/rating/", "/api/v1/rating/", None, ADMIN),
    ("POST", "/api/v1/rating/import/", "/api/v1/rating/import/", {}, ADMIN),
    ("GET", "/api/v1/rating/export/", "/api/v1/rating/export/", None, ADMIN),
    ("GET", "/api/v1/region-years/", "/api/v1/region-years/", None, ADMIN),
    ("POST", "/api/v1/region-years/import/", "/api/v1/region-years/import/", {}, ADMIN),
    ("GET", "/api/v1/region-years/export/", "/api/v1/region-years/export/", None, ADMIN),
    ("GET", "/api/v1/quotas/", "/api/v1/quotas/", None, ADMIN),
    ("GET", "/api/v1/regions/", "/api/v1/regions/", None, PUBLIC),
    ("GET", "/api/v1/regions/{code}/", "/api/v1/regions/KZ-55/", None, PUBLIC),
    ("GET", "/api/v1/occupations/", "/api/v1/occupations/", None, PUBLIC),
    ("GET", "/api/v1/occupations/{code}/", "/api/v1/occupations/2511/", None, PUBLIC),
    ("GET", "/api/v1/public/criteria/", "/api/v1/public/criteria/", None, PUBLIC),
    ("GET", "/api/v1/public/criteria/{id}/", "/api/v1/public/criteria/{criteria}/", None, PUBLIC),
    ("GET", "/api/v1/public/self-check/{product}/", "/api/v1/public/self-check/kandas_card/", None, PUBLIC),
    ("POST", "/api/v1/public/self-check/{product}/", "/api/v1/public/self-check/kandas_card/", {}, PUBLIC),
    # Open data (issue 17): read-only for everyone, signed in or not.
    ("GET", "/api/v1/public/statistics/", "/api/v1/public/statistics/", None, PUBLIC),
    ("GET", "/api/v1/public/statistics/{period}/", "/api/v1/public/statistics/{period}/", None, PUBLIC),
    ("GET", "/api/v1/public/quotas/", "/api/v1/public/quotas/", None, PUBLIC),
]


def test_the_matrix_covers_every_operation_of_the_schema():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = {(m.upper(), p) for p, item in schema["paths"].items() for m in item}
    covered = {(method, path) for method, path, *_rest in MATRIX}
    assert operations - covered == set()
    assert covered - operations == set()


@pytest.fixture
def objects(verified_people, applicant, settings):
    from applications.cards.services import share_code_create
    from tests.api.conftest import issue_card

    draft = make_application(applicant)
    case = build_case(applicant)
    criteria = seed_set("kandas_card")
    card = issue_card(settings, applicant)
    share = share_code_create(card=card, purpose="work", actor=applicant)
    release = release_compute(period=date(2026, 10, 1))
    return {
        "draft": draft.pk,
        "case": case.pk,
        "criteria": criteria.pk,
        "card": card.number,
        "share": share.pk,
        "period": f"{release.period:%Y-%m}",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_access(role, objects, verified_people, applicant, employer):
    verify(employer)
    user = employer if role == "employer" else verified_people.get(role)
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_for(user)}")
    # The applicant's own token, for the DELETE row (others' tokens are 404 to them).
    applicant_token, _raw = api_token_create(user=applicant, scope="read")
    ids = {**objects, "token": applicant_token.pk}
    problems = []
    for method, schema_path, path, body, expectations in MATRIX:
        url = path.format(**ids)
        response = (
            getattr(client, method.lower())(url, body, format="json")
            if body is not None
            else (getattr(client, method.lower())(url))
        )
        expected = expectations[role]
        got = response.status_code
        if got >= 500:
            problems.append(f"{method} {schema_path}: {got} (server error)")
        elif expected == "ok" and got in (401, 403, 404):
            problems.append(f"{method} {schema_path}: expected access, got {got} {response.content[:120]!r}")
        elif expected != "ok" and str(got) != expected:
            problems.append(f"{method} {schema_path}: expected {expected}, got {got}")
        if got >= 400:
            assert set(response.json()) == {"error"}, (method, schema_path)
    assert problems == []
