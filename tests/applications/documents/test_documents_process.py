"""document_process and the sweep: idempotent, never half-written, stuck rows re-queued."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from applications.documents import reasons
from applications.documents.services import (
    MAX_ATTEMPTS,
    document_process,
    document_upload,
    documents_stuck,
)
from applications.documents.tasks import document_sweep
from applications.models import Document
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(draft_application, applicant, corpus, django_capture_on_commit_callbacks):
    def make(data: bytes, name: str = "scan.jpg", kind: str = "passport") -> Document:
        # Callbacks captured and dropped: these tests call the service themselves.
        with django_capture_on_commit_callbacks(execute=False):
            return document_upload(
                application=draft_application,
                kind=kind,
                uploaded=SimpleUploadedFile(name, data),
                actor=applicant,
            )

    return make


def test_processing_a_photo_with_gps_makes_a_clean_ready_copy(uploaded, corpus):
    document = uploaded(corpus.jpeg_with_gps_and_orientation())

    document = document_process(document_id=document.pk)

    assert document.status == Document.Status.READY
    assert (document.width, document.height) == (20, 40)
    assert "gps" in document.stripped
    with document.sanitised_file.open("rb") as handle:
        clean = Image.open(io.BytesIO(handle.read()))
    assert len(clean.getexif()) == 0
    assert clean.size == (20, 40)
    assert document.thumbnail
    assert len(document.sanitised_sha256) == 64
    assert document.attempts == 1
    assert AuditEvent.objects.filter(action="document.processed", to_state="ready").exists()


def test_processing_a_pdf_records_its_pages(uploaded, corpus):
    document = uploaded(corpus.pdf(pages=4), name="diploma.pdf", kind="diploma")

    document = document_process(document_id=document.pk)

    assert (document.status, document.pages) == (Document.Status.READY, 4)
    assert document.sanitised_type == "application/pdf"
    assert not document.thumbnail


def test_hostile_pdf_is_rejected_with_a_reason_the_applicant_reads(uploaded, corpus):
    from django.utils import translation

    document = uploaded(corpus.pdf_with_document_js(), name="x.pdf")

    document = document_process(document_id=document.pk)

    assert (document.status, document.rejection_code) == (Document.Status.REJECTED, reasons.PDF_JAVASCRIPT)
    assert not document.sanitised_file
    with translation.override("en"):
        assert "scripts" in document.rejection_message


def test_reprocessing_a_ready_document_changes_nothing(uploaded, corpus):
    document = document_process(document_id=uploaded(corpus.image()).pk)
    before = Document.objects.values().get(pk=document.pk)

    again = document_process(document_id=document.pk)

    assert again.status == Document.Status.READY
    assert Document.objects.values().get(pk=document.pk) == before


def test_a_worker_that_died_mid_task_leaves_the_row_to_be_processed_again(uploaded, corpus):
    document = uploaded(corpus.image())
    # What a killed worker leaves behind: processing, one attempt, no outputs.
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        attempts=1,
        processing_started_at=timezone.now() - timedelta(hours=1),
    )

    requeue, give_up = documents_stuck(older_than=timedelta(minutes=5))
    document = document_process(document_id=document.pk)

    assert (requeue, give_up) == ([document.pk], [])
    assert (document.status, document.attempts) == (Document.Status.READY, 2)


def test_sweep_leaves_fresh_and_finished_documents_alone(uploaded, corpus):
    fresh = uploaded(corpus.image(color=(1, 1, 1)))
    done = document_process(document_id=uploaded(corpus.image(color=(9, 9, 9))).pk)

    requeue, give_up = documents_stuck(older_than=timedelta(minutes=5))

    assert fresh.pk not in requeue and done.pk not in requeue
    assert give_up == []


def test_sweep_gives_up_after_repeated_failures(uploaded, corpus):
    document = uploaded(corpus.image())
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        attempts=MAX_ATTEMPTS,
        processing_started_at=timezone.now() - timedelta(hours=1),
    )

    document_sweep(stuck_after_seconds=60)

    document.refresh_from_db()
    assert (document.status, document.rejection_code) == (Document.Status.REJECTED, reasons.PROCESSING_FAILED)


def test_a_late_second_worker_keeps_the_first_result_and_removes_its_own_files(uploaded, corpus):
    from applications.documents import services

    document = uploaded(corpus.image())
    first = document_process(document_id=document.pk)
    # A second worker that had started before the first finished now writes and finishes.
    result = services.process_document(corpus.image(), services.policy_for("passport"))
    written = services._write_outputs(first, result)

    kept = services._finish(document.pk, result, written)

    assert kept.sanitised_file.name == first.sanitised_file.name
    for name in written.values():
        assert not first.file.storage.exists(name)


def test_task_for_a_deleted_document_finishes_quietly():
    from applications.documents.tasks import document_process_task

    assert document_process_task.apply(args=[987654]).get() == "missing"


def test_task_returns_the_final_status(uploaded, corpus):
    from applications.documents.tasks import document_process_task

    document = uploaded(corpus.pdf_encrypted(), name="locked.pdf")

    assert document_process_task.apply(args=[document.pk]).get() == Document.Status.REJECTED


def test_files_a_dead_worker_never_linked_are_removed_after_the_grace_period(uploaded, corpus):
    """A worker that dies after writing its outputs but before the row points at them leaves
    files behind; the orphan sweep removes them once old, and never a file a row uses."""
    import os

    from django.core.files.base import ContentFile

    from applications.documents.services import ORPHAN_GRACE
    from applications.documents.tasks import document_orphans_sweep

    document = document_process(document_id=uploaded(corpus.jpeg_with_gps_and_orientation()).pk)
    storage = document.file.storage
    old_orphan = storage.save("documents/sanitised/zz/dead-worker-output", ContentFile(b"x"))
    fresh_orphan = storage.save("documents/sanitised/zz/in-flight-output", ContentFile(b"y"))
    long_ago = (timezone.now() - ORPHAN_GRACE - timedelta(hours=1)).timestamp()
    for name in (old_orphan, document.file.name, document.sanitised_file.name, document.thumbnail.name):
        os.utime(storage.path(name), (long_ago, long_ago))

    removed = document_orphans_sweep()

    assert removed >= 1 and not storage.exists(old_orphan)
    assert storage.exists(fresh_orphan)  # may still be on its way to a row
    for name in (document.file.name, document.sanitised_file.name, document.thumbnail.name):
        assert storage.exists(name)  # in use: kept however old
    storage.delete(fresh_orphan)
