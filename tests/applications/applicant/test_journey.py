"""A new user from sign-up to a submitted application, reading the link from the mail outbox."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from applications import sections
from applications.models import Application, Document
from applications.states import State
from portal.audit.models import AuditEvent
from tests.applications.applicant.conftest import KANDAS_PAGES, VISA_PAGES, png_bytes

pytestmark = pytest.mark.django_db


def sign_up_and_verify(client: Client, email: str) -> None:
    response = client.post(
        "/accounts/sign-up/",
        {"email": email, "password1": "tengri-sky-8812", "password2": "tengri-sky-8812", "preferred_language": "en"},
    )
    assert response.status_code == 302
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert client.get(link).status_code == 200
    signed_in = client.post("/accounts/login/", {"username": email, "password": "tengri-sky-8812"})
    assert signed_in.status_code == 302 and signed_in["Location"] != "/accounts/verify-your-email/"


def upload_every_required_document(
    client: Client, application: Application, django_capture_on_commit_callbacks
) -> None:
    application.refresh_from_db()
    kinds = sections.required_document_kinds(application.product, application.track, application.answers)
    assert client.get(f"/applications/{application.pk}/documents/").status_code == 200
    for n, kind in enumerate(kinds):
        # The photo must pass the pipeline's passport-photo rules: 35:45, at least 413 x 531, in colour.
        size = (420, 540) if kind == Document.Kind.PHOTO else (64, 48)
        picture = png_bytes(color=(10 * n, 80, 160), size=size)
        upload = SimpleUploadedFile(f"{kind}.png", picture, content_type="image/png")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/applications/{application.pk}/documents/upload/{kind}/", {"file": upload})
        assert response.status_code == 302, response.content.decode()[:2000]
    # Tasks run eagerly in this suite: the pipeline has already checked the files.
    assert set(application.documents.values_list("status", flat=True)) == {Document.Status.READY}


@pytest.mark.parametrize(("product", "pages"), [("kandas_card", KANDAS_PAGES), ("skills_visa", VISA_PAGES)])
def test_a_new_user_signs_up_fills_every_page_uploads_documents_and_submits(
    product, pages, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = Client()
    sign_up_and_verify(client, "new.applicant@example.org")
    started = client.post("/applications/new/", {"product": product})
    application = Application.objects.get()
    assert started["Location"] == f"/applications/{application.pk}/tasks/"

    for slug, data in pages.items():
        response = client.post(f"/applications/{application.pk}/section/{slug}/", {**data, "action": "continue"})
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
    if product == "kandas_card":
        assert (
            client.post(f"/applications/{application.pk}/family/", {"action": "confirm", "coming": "no"}).status_code
            == 302
        )
    upload_every_required_document(client, application, django_capture_on_commit_callbacks)

    tasks = client.get(f"/applications/{application.pk}/tasks/").content.decode()
    assert f"/applications/{application.pk}/check/" in tasks
    check = client.get(f"/applications/{application.pk}/check/")
    assert check.status_code == 200
    assert "AIGERIM" in check.content.decode() and "Change" in check.content.decode()
    refused = client.post(f"/applications/{application.pk}/check/", {})
    assert refused.status_code == 400  # the declaration must be ticked
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"/applications/{application.pk}/check/", {"confirm": "on"})
    assert submitted["Location"] == f"/applications/{application.pk}/submitted/"

    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert re.fullmatch(r"(KC|VS)-\d{4}-000001", application.reference)
    confirmation = client.get(submitted["Location"]).content.decode()
    assert application.reference in confirmation and "What happens next" in confirmation
    assert AuditEvent.objects.filter(application=application, action="submit").count() == 1
    assert any(application.reference in m.body for m in mail.outbox)
    status = client.get(f"/applications/{application.pk}/status/").content.decode()
    assert "Application submitted" in status
