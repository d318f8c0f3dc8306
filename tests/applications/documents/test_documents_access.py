"""Every file URL behind the access gate: strangers get 404, staff views are audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.documents.services import document_process, document_upload
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

VARIANTS = ("thumbnail", "view", "download", "original")

# 200 = may fetch, 404 = does not exist for them. ``caseworker_outside`` is left out:
# the foundation's gate does not model queue membership yet (applications.access).
EXPECTED = {
    "applicant": {"detail": 200, "thumbnail": 200, "view": 200, "download": 200, "original": 404},
    "stranger": {"detail": 404, "thumbnail": 404, "view": 404, "download": 404, "original": 404},
    "caseworker": {"detail": 200, "thumbnail": 200, "view": 200, "download": 200, "original": 404},
    "senior": {"detail": 200, "thumbnail": 200, "view": 200, "download": 200, "original": 200},
    "criteria_admin": {"detail": 404, "thumbnail": 404, "view": 404, "download": 404, "original": 404},
    "auditor": {"detail": 404, "thumbnail": 404, "view": 404, "download": 404, "original": 404},
}


@pytest.fixture
def ready_document(application, applicant, corpus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        document = document_upload(
            application=application,
            kind="passport",
            uploaded=SimpleUploadedFile("passport.jpg", corpus.jpeg_with_gps_and_orientation()),
            actor=applicant,
        )
    return document_process(document_id=document.pk)


def url(document, variant: str) -> str:
    if variant == "detail":
        return reverse("documents:detail", args=[document.pk])
    return reverse("documents:file", args=[document.pk, variant])


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_person_gets_exactly_the_document_urls_they_may_see(client, people, ready_document, who):
    client.force_login(people[who])

    got = {variant: client.get(url(ready_document, variant)).status_code for variant in EXPECTED[who]}

    assert got == EXPECTED[who]


@pytest.mark.parametrize("variant", VARIANTS)
def test_anonymous_visitor_gets_404_for_every_file(client, ready_document, variant):
    assert client.get(url(ready_document, variant)).status_code == 404


def test_unknown_document_and_unknown_variant_are_404(client, applicant, ready_document):
    client.force_login(applicant)

    assert client.get(reverse("documents:file", args=[ready_document.pk + 999, "view"])).status_code == 404
    assert client.get(reverse("documents:file", args=[ready_document.pk, "secrets"])).status_code == 404


def test_staff_views_are_audited_and_the_owners_are_not(client, caseworker, applicant, ready_document):
    client.force_login(applicant)
    client.get(url(ready_document, "view"))
    client.force_login(caseworker)
    for variant in ("detail", "thumbnail", "view", "download"):
        client.get(url(ready_document, variant))

    events = AuditEvent.objects.filter(object_id=str(ready_document.pk), action__startswith="document.view")
    downloads = AuditEvent.objects.filter(object_id=str(ready_document.pk), action="document.download")
    assert set(events.values_list("actor", flat=True)) == {caseworker.pk}
    assert set(events.values_list("action", flat=True)) == {
        "document.view_details",
        "document.view_thumbnail",
        "document.view",
    }
    assert downloads.count() == 1


def test_sanitised_view_serves_the_clean_copy_not_the_original(client, caseworker, ready_document):
    client.force_login(caseworker)

    response = client.get(url(ready_document, "view"))
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"Exif" not in body
    with ready_document.file.open("rb") as original:
        assert body != original.read()


def test_original_is_always_a_download_never_rendered(client, senior, ready_document):
    client.force_login(senior)

    response = client.get(url(ready_document, "original"))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="document.download_original", actor=senior).exists()


def test_staff_cannot_see_documents_of_a_draft(client, caseworker, draft_application, applicant, corpus):
    document = document_upload(
        application=draft_application,
        kind="passport",
        uploaded=SimpleUploadedFile("p.jpg", corpus.image()),
        actor=applicant,
    )
    document = document_process(document_id=document.pk)
    client.force_login(caseworker)

    assert client.get(url(document, "view")).status_code == 404


def test_caseworker_detail_page_shows_the_thumbnail_and_facts(client, caseworker, ready_document):
    client.force_login(caseworker)

    page = client.get(url(ready_document, "detail")).content.decode()

    assert reverse("documents:file", args=[ready_document.pk, "view"]) in page
    assert ready_document.sanitised_sha256 in page
    assert reverse("documents:file", args=[ready_document.pk, "original"]) not in page


def test_applicant_upload_page_refuses_with_the_reason_in_the_error_summary(client, applicant, draft_application):
    client.force_login(applicant)
    target = reverse("documents:upload", args=[draft_application.pk])

    response = client.post(target, {"kind": "passport", "file": SimpleUploadedFile("scan.jpg", b"%PDF-1.7\n%%EOF")})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_stranger_cannot_open_someone_elses_upload_page(client, stranger, draft_application):
    client.force_login(stranger)

    assert client.get(reverse("documents:upload", args=[draft_application.pk])).status_code == 404
