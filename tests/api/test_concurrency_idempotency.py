"""Optimistic concurrency (If-Match) and Idempotency-Key, on PostgreSQL with real threads."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from applications.models import Application, Document
from portal.api.models import IdempotencyRecord
from portal.audit.models import AuditEvent
from tests.api.conftest import example_module, token_client, verify
from tests.services import require_postgres

PERSONAL = {
    "given_names_latin": "AIGERIM",
    "family_name_latin": "BEKOVA",
    "date_of_birth": "1990-03-27",
    "birth_country": "MN",
    "birth_place": "Bayan-Olgii",
    "citizenship": "MN",
}


def _start(client: APIClient) -> tuple[int, str]:
    response = client.post("/api/v1/applications/", {"product": "kandas_card"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"], response["ETag"]


@pytest.mark.django_db
def test_an_edit_without_if_match_is_428_and_a_stale_one_is_412(applicant):
    verify(applicant)
    client = token_client(applicant)
    app_id, etag = _start(client)
    url = f"/api/v1/applications/{app_id}/sections/personal/"
    missing = client.put(url, {"answers": PERSONAL}, format="json")
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition_required"
    first = client.put(url, {"answers": PERSONAL}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.content
    assert first["ETag"] != etag
    stale = client.put(url, {"answers": {**PERSONAL, "birth_place": "Khovd"}}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "version_mismatch"
    assert Application.objects.get(pk=app_id).answers["personal"]["birth_place"] == "Bayan-Olgii"


@pytest.mark.django_db
def test_invalid_answers_are_refused_field_by_field_and_nothing_is_saved(applicant):
    verify(applicant)
    client = token_client(applicant)
    app_id, etag = _start(client)
    response = client.put(
        f"/api/v1/applications/{app_id}/sections/personal/",
        {"answers": {**PERSONAL, "given_names_latin": "Айгерим", "date_of_birth": "2990-01-01"}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"given_names_latin", "date_of_birth"} <= set(fields)
    assert "personal" not in Application.objects.get(pk=app_id).answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clients_editing_from_the_same_version_never_lose_an_update(applicant):
    require_postgres()
    verify(applicant)
    app_id, etag = _start(token_client(applicant))
    url = f"/api/v1/applications/{app_id}/sections/personal/"
    for round_number in range(5):
        version = Application.objects.get(pk=app_id).version
        places = {"a": f"Town A{round_number}", "b": f"Town B{round_number}"}
        results = _race_edits(applicant, url, f'"v{version}"', places)
        assert sorted(results.values()) == [200, 412], results
        winner = next(name for name, code in results.items() if code == 200)
        app = Application.objects.get(pk=app_id)
        assert app.version == version + 1
        assert app.answers["personal"]["birth_place"] == places[winner]


@pytest.mark.django_db
def test_a_retried_upload_with_the_same_key_stores_one_document(applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    verify(applicant)
    client = token_client(applicant)
    app_id, _etag = _start(client)
    content = example_module().pdf_page("passport of AIGERIM")  # a valid one-page PDF
    url = f"/api/v1/applications/{app_id}/documents/"

    def upload():
        return client.post(
            url,
            {"kind": "passport", "file": SimpleUploadedFile("p.pdf", content, "application/pdf")},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first, second = upload(), upload()
    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Document.objects.filter(application_id=app_id).count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_another_request_is_422(applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    verify(applicant)
    client = token_client(applicant)
    app_id, _etag = _start(client)
    url = f"/api/v1/applications/{app_id}/documents/"
    for index, text in enumerate(("one", "two")):
        response = client.post(
            url,
            {
                "kind": "passport",
                "file": SimpleUploadedFile("p.pdf", example_module().pdf_page(text), "application/pdf"),
            },
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="same-key",
        )
        assert response.status_code == (201 if index == 0 else 422), response.content
    assert response.json()["error"]["code"] == "idempotency_key_reused"


@pytest.mark.django_db
def test_a_refused_request_stores_nothing_and_may_be_retried(applicant):
    verify(applicant)
    client = token_client(applicant)
    app_id, _etag = _start(client)
    response = client.post(f"/api/v1/applications/{app_id}/submit/", HTTP_IDEMPOTENCY_KEY="submit-1")
    assert response.status_code == 409 and response.json()["error"]["code"] == "submission_incomplete"
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submits_with_one_key_submit_once(applicant):
    """Two copies of the same submit racing: one reference, one audit event, same answer."""
    require_postgres()
    verify(applicant)
    client = token_client(applicant)
    app_id = _complete_draft(client)
    barrier = threading.Barrier(2)
    bodies: list[dict] = []

    def submit() -> None:
        try:
            own = token_client(applicant)
            barrier.wait(timeout=10)
            response = own.post(f"/api/v1/applications/{app_id}/submit/", HTTP_IDEMPOTENCY_KEY="race-1")
            bodies.append({"status": response.status_code, "body": response.json()})
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [b["status"] for b in bodies] == [200, 200], bodies
    assert bodies[0]["body"]["reference"] == bodies[1]["body"]["reference"]
    assert AuditEvent.objects.filter(application_id=app_id, action="submit").count() == 1


def _race_edits(user, url: str, etag: str, places: dict[str, str]) -> dict[str, int]:
    """Two clients PUT the same section from the same ETag at the same moment."""
    barrier = threading.Barrier(len(places))
    results: dict[str, int] = {}

    def edit(name: str) -> None:
        try:
            client = token_client(user)
            barrier.wait(timeout=10)
            response = client.put(
                url, {"answers": {**PERSONAL, "birth_place": places[name]}}, format="json", HTTP_IF_MATCH=etag
            )
            results[name] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in places]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _complete_draft(client: APIClient) -> int:
    """A draft with every section and document, through the API (the example script's data)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    example = example_module()
    app_id, etag = _start(client)
    for slug, answers in example.SECTIONS:
        response = client.put(
            f"/api/v1/applications/{app_id}/sections/{slug}/", {"answers": answers}, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, (slug, response.content)
        etag = response["ETag"]
    for kind in example.DOCUMENTS:
        if kind == "photo":
            upload = SimpleUploadedFile("photo.png", example.png_photo(), "image/png")
        else:
            upload = SimpleUploadedFile(f"{kind}.pdf", example.pdf_page(kind), "application/pdf")
        response = client.post(
            f"/api/v1/applications/{app_id}/documents/", {"kind": kind, "file": upload}, format="multipart"
        )
        assert response.status_code == 201, (kind, response.content)
    return app_id
