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


def test_a_late_second_worker_keeps_the_first_result_and_leaves_no_extra_files(
    uploaded, corpus, django_capture_on_commit_callbacks
):
    from applications.documents import services

    document = uploaded(corpus.image())
    first = document_process(document_id=document.pk)
    storage = first.file.storage
    # A second worker that had started before the first finished now writes and finishes.
    result = services.process_document(corpus.image(), services.policy_for("passport"))
    names = services._output_names(first)
    services._write_outputs(first, result, names)

    with django_capture_on_commit_callbacks(execute=True):
        kept = services._finish(document.pk, result, names)

    assert kept.sanitised_file.name == first.sanitised_file.name == names.sanitised
    assert storage.exists(names.sanitised) and storage.exists(names.thumbnail)
    assert not storage.exists(names.record)
    folder, stem = names.sanitised.rsplit("/", 1)
    ours = sorted(name for name in storage.listdir(folder)[1] if name.startswith(stem))
    assert ours == [stem, f"{stem}-thumb"]


def test_a_live_lease_held_by_another_task_is_not_doubled(uploaded, corpus):
    document = uploaded(corpus.image())
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        attempts=1,
        processing_started_at=timezone.now(),
        processing_claim="task-a",
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )

    other = document_process(document_id=document.pk, claim="task-b")

    assert (other.status, other.attempts) == (Document.Status.PROCESSING, 1)
    assert documents_stuck(older_than=timedelta(0)) == ([], [])


def test_a_redelivered_message_takes_its_own_claim_over_at_once(uploaded, corpus):
    """The same task id again means its worker died mid-task (a message is only ever held by
    one consumer): no need to wait for the lease."""
    document = uploaded(corpus.image())
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        attempts=1,
        processing_claim="task-a",
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )

    again = document_process(document_id=document.pk, claim="task-a")

    assert (again.status, again.attempts) == (Document.Status.READY, 2)
    assert (again.processing_claim, again.lease_expires_at) == ("", None)


def test_a_run_out_lease_is_handed_to_a_new_task_by_the_sweep(uploaded, corpus):
    document = uploaded(corpus.image())
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.PROCESSING,
        attempts=1,
        processing_started_at=timezone.now() - timedelta(seconds=40),
        processing_claim="task-a",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )

    requeue, _ = documents_stuck(older_than=timedelta(minutes=5))
    document.refresh_from_db()
    assert requeue == [document.pk]
    assert (document.status, document.processing_claim) == (Document.Status.UPLOADED, "")

    done = document_process(document_id=document.pk, claim="task-b")
    assert (done.status, done.attempts) == (Document.Status.READY, 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_task_renews_its_lease(uploaded, corpus, settings, monkeypatch):
    """The renewal thread (its own connection) writes while the decode runs; read mid-task."""
    import time

    from django.db import connection

    from applications.documents import services

    if connection.vendor != "postgresql":
        pytest.skip("the renewal thread needs a database other threads can reach (PostgreSQL)")
    settings.DOCUMENT_LEASE_SECONDS = 0.3
    seen: list = []
    real = services.process_document

    def slow(*args, **kwargs):
        [row] = Document.objects.filter(status=Document.Status.PROCESSING)
        time.sleep(0.5)
        seen.append((row.lease_expires_at, Document.objects.get(pk=row.pk).lease_expires_at))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "process_document", slow)
    # Without an outer transaction the upload's eager task runs at once (or we run it).
    document = uploaded(corpus.image())
    document_process(document_id=document.pk, claim="task-a")

    [(first, renewed)] = seen
    assert renewed > first


def test_a_redelivered_task_does_not_decode_again_what_an_earlier_attempt_stored(uploaded, corpus, monkeypatch):
    """A worker killed after storing its outputs but before committing: the next attempt
    finishes from the stored outputs."""
    from applications.documents import services

    document = uploaded(corpus.jpeg_with_gps_and_orientation())
    names = services._output_names(document)
    result = services.process_document(corpus.jpeg_with_gps_and_orientation(), services.policy_for("passport"))
    services._write_outputs(document, result, names)  # ... and the worker died here

    def must_not_run(*args, **kwargs):
        raise AssertionError("decoded again")

    monkeypatch.setattr(services, "process_document", must_not_run)
    done = document_process(document_id=document.pk)

    assert done.status == Document.Status.READY
    assert done.sanitised_file.name == names.sanitised
    assert done.sanitised_sha256 == result.sha256_sanitised
    assert (done.width, done.height, done.stripped) == (result.width, result.height, result.stripped)


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
