"""Another applicant can never read, change or learn of someone's application or document: 404 everywhere."""

import re

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Document
from applications.workflow import application_transition
from tests.applications.applicant.conftest import KANDAS_PAGES, add_ready_documents, fill_pages

pytestmark = pytest.mark.django_db

APPLICATION_URLS = [
    ("applications:detail", ()),
    ("applications:tasks", ()),
    ("applications:section", ("personal",)),
    ("applications:section", ("declarations",)),
    ("applications:family", ()),
    ("applications:documents", ()),
    ("applications:document_upload", ("passport",)),
    ("applications:check", ()),
    ("applications:confirmation", ()),
    ("applications:status", ()),
    ("applications:reply", ()),
    ("applications:withdraw", ()),
]


def same_as_missing(client, method: str, url: str, application: Application, data: dict) -> int:
    """The status for ``url``, checked equal to the one for an id that does not exist."""
    call = getattr(client, method)
    status = call(url, data).status_code
    ghost = url.replace(f"/applications/{application.pk}/", f"/applications/{application.pk + 10_000}/", 1)
    assert call(ghost, data).status_code == status, url
    return status


def urls_of(application: Application, document: Document) -> list[str]:
    urls = [reverse(name, args=[application.pk, *extra]) for name, extra in APPLICATION_URLS]
    urls.append(reverse("applications:document_delete", args=[application.pk, document.pk]))
    return urls


@pytest.fixture
def owned(applicant_client, kandas_draft):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    add_ready_documents(kandas_draft)
    return kandas_draft, kandas_draft.documents.first()


def test_a_stranger_gets_404_on_every_url_of_a_draft(owned, verified_stranger, client_for):
    application, document = owned
    stranger = client_for(verified_stranger)
    for url in urls_of(application, document):
        assert stranger.get(url).status_code in (404, 405), url
        data = {"action": "continue", "confirm": "yes", "text": "hi"}
        # 405 (GET-only pages) is answered before any lookup: the same for every id.
        assert same_as_missing(stranger, "post", url, application, data) in (404, 405), url
    application.refresh_from_db()
    assert application.state == "draft"
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_stranger_gets_404_on_every_url_of_a_submitted_application(
    owned, verified_applicant, verified_stranger, client_for
):
    application, document = owned
    services.application_submit(application=application, actor=verified_applicant)
    stranger = client_for(verified_stranger)
    for url in urls_of(application, document):
        assert same_as_missing(stranger, "get", url, application, {}) in (404, 405), url
        assert same_as_missing(stranger, "post", url, application, {"confirm": "yes", "text": "hi"}) in (404, 405), url
    application.refresh_from_db()
    assert application.state == "submitted"


def test_a_stranger_cannot_learn_whether_an_id_exists(verified_stranger, client_for, owned):
    application, _document = owned
    stranger = client_for(verified_stranger)
    existing = stranger.get(f"/applications/{application.pk}/tasks/")
    missing = stranger.get(f"/applications/{application.pk + 1000}/tasks/")
    assert existing.status_code == missing.status_code == 404
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    pages = [token.sub(b"", r.content) for r in (existing, missing)]
    pages = [
        page.replace(f"/{n}/".encode(), b"/N/")
        for page, n in zip(pages, (application.pk, application.pk + 1000), strict=True)
    ]
    assert pages[0] == pages[1]


def test_staff_do_not_use_applicant_pages_of_a_case(owned, verified_applicant, caseworker, client_for):
    application, _ = owned
    services.application_submit(application=application, actor=verified_applicant)
    caseworker.email_verified_at = verified_applicant.email_verified_at
    caseworker.save(update_fields=["email_verified_at"])
    client = client_for(caseworker)
    assert client.get(f"/applications/{application.pk}/status/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, owned):
    application, _ = owned
    response = client.get(f"/applications/{application.pk}/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_after_submission_the_owner_cannot_change_answers_or_documents(owned, verified_applicant, applicant_client):
    application, document = owned
    services.application_submit(application=application, actor=verified_applicant)
    assert (
        applicant_client.post(
            f"/applications/{application.pk}/section/personal/", {**KANDAS_PAGES["personal"], "action": "continue"}
        ).status_code
        == 404
    )
    assert applicant_client.post(f"/applications/{application.pk}/documents/{document.pk}/delete/").status_code == 404
    assert applicant_client.get(f"/applications/{application.pk}/documents/").status_code == 404
    application.refresh_from_db()
    assert application.answers["personal"]["given_names_latin"] == "AIGERIM"


def test_the_case_moves_on_only_through_the_workflow(owned, verified_applicant):
    application, _ = owned
    services.application_submit(application=application, actor=verified_applicant)
    with pytest.raises(Exception, match="not allowed"):
        application_transition(application=application, action="start_review", actor=verified_applicant)
