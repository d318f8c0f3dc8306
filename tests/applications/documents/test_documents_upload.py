"""document_upload: cheap refusals before storing, duplicates, totals, commit then enqueue."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.documents import policy as policy_module
from applications.documents import reasons
from applications.documents.services import UploadRefused, document_upload
from applications.models import Document
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def upload(application, actor, data: bytes, name: str = "scan.jpg", kind: str = "passport", content_type=None):
    return document_upload(
        application=application,
        kind=kind,
        uploaded=SimpleUploadedFile(name, data, content_type=content_type or "application/octet-stream"),
        actor=actor,
        content_type=content_type,
    )


def test_upload_stores_the_file_privately_under_a_random_name(draft_application, applicant, corpus):
    data = corpus.image()

    document = upload(draft_application, applicant, data, name="my passport.jpg")

    document.refresh_from_db()
    assert document.status == Document.Status.UPLOADED
    assert document.original_name == "my passport.jpg"
    assert "passport" not in document.file.name
    assert document.detected_type == "image/jpeg"
    assert document.size == len(data)
    assert len(document.sha256) == 64
    with document.file.open("rb") as handle:
        assert handle.read() == data
    assert AuditEvent.objects.filter(action="document.upload", object_id=str(document.pk)).exists()


@pytest.mark.parametrize(
    ("data_builder", "name", "content_type", "code"),
    [
        (lambda c: b"", "scan.jpg", None, reasons.EMPTY_FILE),
        (lambda c: b"hello world, not a document", "scan.txt", None, reasons.UNKNOWN_TYPE),
        (lambda c: c.image(fmt="PNG"), "scan.jpg", None, reasons.TYPE_MISMATCH),
        (lambda c: c.pdf(), "scan.pdf", "image/png", reasons.TYPE_MISMATCH),
        (lambda c: c.image(fmt="GIF", mode="P", color=1), "scan.gif", None, reasons.TYPE_NOT_ALLOWED),
    ],
)
def test_upload_refuses_what_the_first_bytes_show_and_stores_nothing(
    draft_application, applicant, corpus, data_builder, name, content_type, code
):
    with pytest.raises(UploadRefused) as refusal:
        upload(draft_application, applicant, data_builder(corpus), name=name, content_type=content_type)

    assert refusal.value.code == code
    assert refusal.value.message
    assert not Document.objects.exists()


def test_pdf_is_refused_as_the_applicant_photo(draft_application, applicant, corpus):
    with pytest.raises(UploadRefused) as refusal:
        upload(draft_application, applicant, corpus.pdf(), name="me.pdf", kind="photo")

    assert refusal.value.code == reasons.TYPE_NOT_ALLOWED


def test_file_over_the_kind_limit_is_refused(draft_application, applicant, corpus, monkeypatch):
    photo = policy_module.DEFAULT_POLICIES["passport"]
    import dataclasses

    monkeypatch.setitem(policy_module.DEFAULT_POLICIES, "passport", dataclasses.replace(photo, max_bytes=500))

    with pytest.raises(UploadRefused) as refusal:
        upload(draft_application, applicant, corpus.image(size=(300, 300), color=None))

    assert refusal.value.code == reasons.FILE_TOO_LARGE


def test_same_file_twice_for_one_application_is_a_duplicate(draft_application, applicant, corpus):
    data = corpus.image()
    upload(draft_application, applicant, data, name="first.jpg")

    with pytest.raises(UploadRefused) as refusal:
        upload(draft_application, applicant, data, name="renamed.jpg", kind="diploma")

    assert refusal.value.code == reasons.DUPLICATE
    assert Document.objects.count() == 1


def test_same_file_for_another_application_is_not_a_duplicate(draft_application, applicant, corpus):
    from tests.applications.documents.conftest import make_application

    data = corpus.image()
    upload(draft_application, applicant, data)

    upload(make_application(applicant, state="draft"), applicant, data)

    assert Document.objects.count() == 2


def test_a_rejected_file_may_be_uploaded_again(draft_application, applicant, corpus):
    data = corpus.image()
    first = upload(draft_application, applicant, data)
    Document.objects.filter(pk=first.pk).update(status=Document.Status.REJECTED)

    upload(draft_application, applicant, data)

    assert Document.objects.count() == 2


def test_application_total_limit_counts_live_documents(draft_application, applicant, corpus, monkeypatch):
    import applications.documents.services as services

    first = corpus.image(color=(1, 2, 3))
    monkeypatch.setattr(services, "APPLICATION_MAX_BYTES", len(first) + 100)
    upload(draft_application, applicant, first)

    with pytest.raises(UploadRefused) as refusal:
        upload(draft_application, applicant, corpus.image(color=(200, 2, 3)))

    assert refusal.value.code == reasons.APPLICATION_TOTAL_TOO_LARGE


def test_processing_is_queued_only_after_commit(
    draft_application, applicant, corpus, django_capture_on_commit_callbacks
):
    from portal.queueing import enqueue

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = upload(draft_application, applicant, corpus.image())

    # Nothing ran inside the transaction; the one processing task waits for the commit (the
    # other callbacks, if any, are not tasks: the audit sealer's on SQLite).
    queued = [cb for cb in callbacks if getattr(cb, "func", None) is enqueue]
    assert [(cb.args, cb.keywords) for cb in queued] == [(("applications.document_process", document.pk), {})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_file_uploaded_twice_at_once_is_stored_once(applicant, corpus):
    import threading

    from django.db import connection

    from tests.applications.documents.conftest import make_application

    application = make_application(applicant, state="draft")
    data = corpus.image()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            upload(application, applicant, data, name=name)
            outcomes.append("stored")
        except UploadRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(f"copy{i}.jpg",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(["stored", reasons.DUPLICATE])
    assert Document.objects.filter(application=application).count() == 1
