"""After submission: status timeline, request for information and reply, decision, withdrawal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Document
from applications.states import State
from applications.workflow import application_transition
from portal.audit.models import AuditEvent
from tests.applications.applicant.conftest import KANDAS_PAGES, VISA_PAGES, add_ready_documents, fill_pages, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_kandas(applicant_client, kandas_draft, verified_applicant):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    add_ready_documents(kandas_draft)
    return services.application_submit(application=kandas_draft, actor=verified_applicant)


@pytest.fixture
def submitted_visa(applicant_client, visa_draft, verified_applicant):
    fill_pages(applicant_client, visa_draft, VISA_PAGES)
    add_ready_documents(visa_draft)
    return services.application_submit(application=visa_draft, actor=verified_applicant)


def status(client, application) -> str:
    response = client.get(f"/applications/{application.pk}/status/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_page_shows_the_timeline_and_three_linked_kandas_decisions(
    applicant_client, submitted_kandas, caseworker
):
    application_transition(application=submitted_kandas, action="start_review", actor=caseworker)
    body = status(applicant_client, submitted_kandas)
    assert submitted_kandas.reference in body
    assert "Application submitted" in body and "A caseworker started reviewing your application" in body
    assert "Place in the regional resettlement quota" in body and "Right to work" in body
    assert "Pavlodar" in body
    assert caseworker.email not in body


def test_a_request_for_information_is_answered_with_text_and_a_file(
    applicant_client, submitted_visa, caseworker, django_capture_on_commit_callbacks
):
    application_transition(application=submitted_visa, action="start_review", actor=caseworker)
    application_transition(
        application=submitted_visa, action="request_info", actor=caseworker, reason="Send your 2023 tax statement."
    )
    body = status(applicant_client, submitted_visa)
    assert "Send your 2023 tax statement." in body and 'name="text"' in body
    empty = applicant_client.post(f"/applications/{submitted_visa.pk}/reply/", {"text": ""})
    assert empty.status_code == 400 and "Enter your reply" in empty.content.decode()
    uploads = [
        SimpleUploadedFile("tax.png", png_bytes(color=(1, 2, 3)), content_type="image/png"),
        SimpleUploadedFile("bank.png", png_bytes(color=(4, 5, 6)), content_type="image/png"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sent = applicant_client.post(
            f"/applications/{submitted_visa.pk}/reply/", {"text": "Attached, thank you.", "files": uploads}
        )
    assert sent.status_code == 302
    submitted_visa.refresh_from_db()
    assert submitted_visa.state == State.SUBMITTED
    assert AuditEvent.objects.get(application=submitted_visa, action="reply").reason == "Attached, thank you."
    replies = submitted_visa.documents.filter(kind=Document.Kind.OTHER)
    assert set(replies.values_list("original_name", flat=True)) == {"tax.png", "bank.png"}
    assert "You replied to our request" in status(applicant_client, submitted_visa)


def test_a_wrong_type_upload_in_a_reply_is_refused_and_the_text_is_kept(applicant_client, submitted_visa, caseworker):
    application_transition(application=submitted_visa, action="start_review", actor=caseworker)
    application_transition(application=submitted_visa, action="request_info", actor=caseworker, reason="More please")
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    good = SimpleUploadedFile("ok.png", png_bytes(color=(7, 8, 9)), content_type="image/png")
    response = applicant_client.post(
        f"/applications/{submitted_visa.pk}/reply/", {"text": "Here it is", "files": [good, upload]}
    )
    assert response.status_code == 400
    assert "Here it is" in response.content.decode()
    submitted_visa.refresh_from_db()
    assert submitted_visa.state == State.AWAITING_APPLICANT
    assert not submitted_visa.documents.filter(kind=Document.Kind.OTHER).exists()  # nothing half-stored


def test_a_refusal_shows_the_decision_letter_with_reasons(applicant_client, submitted_kandas, caseworker, senior):
    application_transition(application=submitted_kandas, action="start_review", actor=caseworker)
    # A recommendation cites legal grounds (casework, issue 6): through its service.
    from applications.casework.services import decision_recommend
    from applications.models import LegalGround

    ground = LegalGround.objects.filter(applies_to="refuse").first()
    decision_recommend(
        application=submitted_kandas,
        actor=caseworker,
        recommendation="refuse",
        grounds=[ground],
        text="Below pass mark",
    )
    application_transition(
        application=submitted_kandas, action="refuse", actor=senior, reason="The ethnicity evidence is not legible."
    )
    body = status(applicant_client, submitted_kandas)
    assert "Decision letter" in body and "The ethnicity evidence is not legible." in body
    assert body.count("Refused") >= 3  # the three linked decisions
    assert "Below pass mark" not in body  # internal recommendation notes stay internal


def test_the_score_breakdown_appears_once_scored(applicant_client, submitted_visa):
    from django.utils import timezone

    from applications.models import ApplicationScore

    ApplicationScore.store(submitted_visa, score=85, passes=True, scored_at=timezone.now())
    submitted_visa.score_detail = {  # the shape of eligibility's Result.to_dict()
        "status": "pass",
        "total": 85,
        "lines": [
            {"factor": "education", "label": "Education", "state": "scored", "rule": "doctorate", "points": 25},
            {"factor": "salary", "label": "Salary offered", "state": "missing", "rule": None, "points": 0},
        ],
    }
    submitted_visa.save(update_fields=["score_detail"])
    body = status(applicant_client, submitted_visa)
    assert "Your score" in body and "Education" in body and "doctorate" in body and "85" in body
    assert "Salary offered" not in body


def test_withdrawing_asks_for_confirmation_first(applicant_client, submitted_kandas):
    url = f"/applications/{submitted_kandas.pk}/withdraw/"
    assert applicant_client.get(url).status_code == 200
    assert applicant_client.post(url, {}).status_code == 400
    kept = applicant_client.post(url, {"confirm": "no"})
    assert kept.status_code == 302
    submitted_kandas.refresh_from_db()
    assert submitted_kandas.state == State.SUBMITTED
    assert applicant_client.post(url, {"confirm": "yes"}).status_code == 302
    submitted_kandas.refresh_from_db()
    assert submitted_kandas.state == State.WITHDRAWN
    assert "Application withdrawn" in status(applicant_client, submitted_kandas)
    assert applicant_client.get(url).status_code == 404


def test_a_draft_can_be_deleted_from_the_task_list(applicant_client, kandas_draft):
    assert applicant_client.post(f"/applications/{kandas_draft.pk}/withdraw/", {"confirm": "yes"}).status_code == 302
    kandas_draft.refresh_from_db()
    assert kandas_draft.state == State.WITHDRAWN


def test_documents_can_be_replaced_and_deleted_before_submission(
    applicant_client, kandas_draft, django_capture_on_commit_callbacks
):
    applicant_client.post(
        f"/applications/{kandas_draft.pk}/section/track/", {"track": "business", "action": "continue"}
    )
    page = applicant_client.get(f"/applications/{kandas_draft.pk}/documents/").content.decode()
    assert "Business registration" in page and "Diploma" not in page
    url = f"/applications/{kandas_draft.pk}/documents/upload/passport/"
    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(
            url, {"file": SimpleUploadedFile("p1.png", png_bytes((1, 1, 1)), content_type="image/png")}
        )
    first = kandas_draft.documents.get()
    with django_capture_on_commit_callbacks(execute=True):
        replaced = applicant_client.post(
            f"{url}?replace={first.pk}",
            {"file": SimpleUploadedFile("p2.png", png_bytes((2, 2, 2)), content_type="image/png"), "replace": first.pk},
        )
    assert replaced.status_code == 302
    assert list(kandas_draft.documents.values_list("original_name", flat=True)) == ["p2.png"]
    second = kandas_draft.documents.get()
    assert applicant_client.get(f"/applications/{kandas_draft.pk}/documents/{second.pk}/delete/").status_code == 200
    assert applicant_client.post(f"/applications/{kandas_draft.pk}/documents/{second.pk}/delete/").status_code == 302
    assert not kandas_draft.documents.exists()


def test_a_wrong_type_or_empty_upload_gets_a_specific_message(applicant_client, kandas_draft):
    applicant_client.post(
        f"/applications/{kandas_draft.pk}/section/track/", {"track": "professional", "action": "continue"}
    )
    url = f"/applications/{kandas_draft.pk}/documents/upload/photo/"
    nothing = applicant_client.post(url, {})
    assert nothing.status_code == 400 and "Choose a file to upload" in nothing.content.decode()
    pdf_as_photo = SimpleUploadedFile("photo.exe", b"MZ" + b"\x00" * 100, content_type="application/x-msdownload")
    wrong = applicant_client.post(url, {"file": pdf_as_photo})
    assert wrong.status_code == 400
    assert not kandas_draft.documents.exists()
    assert applicant_client.get(f"/applications/{kandas_draft.pk}/documents/upload/not-a-kind/").status_code == 404


@pytest.mark.parametrize("with_rfi", [True, False], ids=["request-row-without-audit-event", "no-request-at-all"])
def test_waiting_for_a_reply_always_shows_the_request_and_its_reply_form(
    applicant_client, verified_applicant, with_rfi
):
    """A case put into "waiting for your reply" without the usual transition (seeding, an
    import) still shows what is asked and where to answer."""
    from applications.models import RequestForInformation
    from tests.applications.casework.conftest import build_case

    case = build_case(verified_applicant, state=State.AWAITING_APPLICANT)
    if with_rfi:
        RequestForInformation.objects.create(
            application=case,
            requested_by=verified_applicant,
            text="Send your diploma, please.",
            deadline=case.submitted_at,
        )
    body = status(applicant_client, case)
    assert "Waiting for your reply" in body
    assert "We need more information" in body
    assert ("Send your diploma, please." in body) if with_rfi else ("The caseworker needs more information" in body)
    assert f'action="/applications/{case.pk}/reply/"' in body and 'name="text"' in body
