"""Caseworker endpoints: queues, claim next, case, RFI, recommend, four-eyes confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Document, LegalGround
from applications.states import State
from tests.api.conftest import example_module
from tests.applications.casework.conftest import build_case

pytestmark = pytest.mark.django_db


def example_pdf(text: str) -> bytes:
    return example_module().pdf_page(text)


def test_a_case_goes_from_claim_to_approval_through_the_api(clients, applicant, caseworker, senior):
    case = build_case(applicant)
    worker, boss, owner = clients["caseworker"], clients["senior"], clients["applicant"]

    queues = worker.get("/api/v1/casework/queues/")
    assert queues.status_code == 200 and queues.json()

    claimed = worker.post("/api/v1/casework/cases/claim-next/")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["id"] == case.pk and claimed.json()["state"] == State.IN_REVIEW

    rfi = worker.post(
        f"/api/v1/casework/cases/{case.pk}/request-info/",
        {"text": "Send your diploma", "document_kinds": ["diploma"], "days": 10},
        format="json",
    )
    assert rfi.status_code == 201, rfi.content
    detail = owner.get(f"/api/v1/applications/{case.pk}/").json()
    assert detail["state"] == State.AWAITING_APPLICANT and detail["open_request"] == "Send your diploma"

    diploma = SimpleUploadedFile("diploma.pdf", example_pdf("Diploma"), "application/pdf")
    reply = owner.post(
        f"/api/v1/applications/{case.pk}/reply/", {"text": "Attached", "files": [diploma]}, format="multipart"
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["state"] == State.SUBMITTED
    assert Document.objects.filter(application=case, kind="other").count() == 1

    assert worker.post(f"/api/v1/casework/cases/{case.pk}/claim/").json()["state"] == State.IN_REVIEW
    ground = LegalGround.objects.filter(applies_to="approve", is_active=True).first()
    recommended = worker.post(
        f"/api/v1/casework/cases/{case.pk}/recommend/",
        {"recommendation": "approve", "grounds": [ground.pk], "text": "Meets every criterion"},
        format="json",
    )
    assert recommended.status_code == 201, recommended.content

    confirmed = boss.post(f"/api/v1/casework/cases/{case.pk}/confirm/", {"note": "Agreed"}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["state"] in (State.APPROVED, "waitlisted", State.ISSUED)


def test_claim_next_with_an_empty_queue_answers_204(clients):
    assert clients["caseworker"].post("/api/v1/casework/cases/claim-next/").status_code == 204


def test_cases_outside_ones_queues_do_not_exist(clients, applicant):
    case = build_case(applicant)
    outside = clients["caseworker_outside"]
    assert outside.get(f"/api/v1/casework/cases/{case.pk}/").status_code == 404
    assert outside.get("/api/v1/casework/cases/").json()["results"] == []
    assert clients["caseworker"].get("/api/v1/casework/cases/").json()["results"][0]["id"] == case.pk


def test_a_caseworker_cannot_confirm_and_a_refused_transition_is_a_409(clients, applicant):
    case = build_case(applicant, state=State.IN_REVIEW)
    url = f"/api/v1/casework/cases/{case.pk}/confirm/"
    assert clients["caseworker"].post(url, {}, format="json").status_code == 403
    response = clients["senior"].post(f"/api/v1/casework/cases/{case.pk}/confirm/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_refused"


def test_auditors_read_cases_but_cannot_claim(clients, applicant):
    case = build_case(applicant)
    auditor = clients["auditor"]
    assert auditor.get(f"/api/v1/casework/cases/{case.pk}/").status_code == 200
    assert auditor.post(f"/api/v1/casework/cases/{case.pk}/claim/").status_code == 403


def test_absurd_filter_values_are_a_400_not_a_crash(clients):
    worker = clients["caseworker"]
    response = worker.get("/api/v1/casework/cases/?older_than=1e300")
    assert response.status_code == 400
    assert "older_than" in response.json()["error"]["fields"]
    assert worker.get("/api/v1/casework/cases/?older_than=3").status_code == 200


def test_the_holder_resumes_an_answered_case_through_the_api(clients, applicant, caseworker):
    case = build_case(applicant)
    worker, owner = clients["caseworker"], clients["applicant"]
    assert worker.post(f"/api/v1/casework/cases/{case.pk}/claim/").status_code == 200
    worker.post(f"/api/v1/casework/cases/{case.pk}/request-info/", {"text": "Diploma?", "days": 10}, format="json")
    assert (
        owner.post(f"/api/v1/applications/{case.pk}/reply/", {"text": "Attached"}, format="multipart").status_code
        == 200
    )
    assert "resume_review" in worker.get(f"/api/v1/casework/cases/{case.pk}/").json()["actions"]
    resumed = worker.post(f"/api/v1/casework/cases/{case.pk}/resume-review/")
    assert resumed.status_code == 200, resumed.content
    assert resumed.json()["state"] == State.IN_REVIEW
    again = worker.post(f"/api/v1/casework/cases/{case.pk}/resume-review/")
    assert again.status_code == 409
