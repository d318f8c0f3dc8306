"""Document pages: constant queries as documents grow; reasons shown to the applicant."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.documents.services import document_process, document_upload

pytestmark = pytest.mark.django_db


def add_documents(application, applicant, corpus, count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        document = document_upload(
            application=application,
            kind="diploma",
            uploaded=SimpleUploadedFile(f"d{index}.jpg", corpus.image(color=(index * 35 % 256, 40, 90))),
            actor=applicant,
        )
        document_process(document_id=document.pk)


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_upload_page_queries_do_not_grow_with_documents(client, applicant, draft_application, corpus):
    client.force_login(applicant)
    path = reverse("documents:upload", args=[draft_application.pk])
    add_documents(draft_application, applicant, corpus, 1)
    few = queries_for(client, path)

    add_documents(draft_application, applicant, corpus, 6, start=1)
    many = queries_for(client, path)

    assert many == few
    assert client.get(path).content.decode().count('class="document-card"') == 7


def test_rejected_document_shows_its_reason_on_the_applicant_page(client, applicant, draft_application, corpus):
    document = document_upload(
        application=draft_application,
        kind="passport",
        uploaded=SimpleUploadedFile("locked.pdf", corpus.pdf_encrypted()),
        actor=applicant,
    )
    document_process(document_id=document.pk)
    client.force_login(applicant)

    page = client.get(reverse("documents:upload", args=[draft_application.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert "protected by a password" in page.content.decode()


def test_applicant_uploads_through_the_page_and_sees_the_document_listed(client, applicant, draft_application, corpus):
    client.force_login(applicant)
    path = reverse("documents:upload", args=[draft_application.pk])

    response = client.post(path, {"kind": "passport", "file": SimpleUploadedFile("passport.jpg", corpus.image())})

    assert response.status_code == 302
    assert draft_application.documents.get().original_name == "passport.jpg"
