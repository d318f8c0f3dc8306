"""Real Celery worker on real Redis and PostgreSQL: uploads processed end to end."""

from __future__ import annotations

import io
import time

import kombu.pools
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from applications.documents.services import document_upload
from applications.documents.tasks import document_sweep
from applications.models import Document
from tests import services
from tests.applications.documents.conftest import make_application


def wait_for_status(document: Document, *statuses: str, timeout: float = 60) -> Document:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in statuses:
            return document
        time.sleep(0.2)
    raise AssertionError(f"document stayed {document.status}")


@pytest.mark.slow
def test_a_real_worker_processes_an_upload_end_to_end(celery_worker, applicant, corpus):
    application = make_application(applicant, state="draft")

    document = document_upload(
        application=application,
        kind="passport",
        uploaded=SimpleUploadedFile("phone.jpg", corpus.jpeg_with_gps_and_orientation()),
        actor=applicant,
    )

    document = wait_for_status(document, Document.Status.READY, Document.Status.REJECTED)
    assert document.status == Document.Status.READY, document.rejection_code
    with document.sanitised_file.open("rb") as handle:
        clean = Image.open(io.BytesIO(handle.read()))
    assert 0x8825 not in clean.getexif()
    assert clean.size == (20, 40)
    assert "applications.document_process" in celery_worker.worker_process.log()


@pytest.mark.slow
def test_upload_succeeds_with_the_broker_down_and_the_sweep_requeues_it(celery_worker, applicant, corpus):
    application = make_application(applicant, state="draft")
    queue = celery_worker.conf.task_default_queue

    # Nothing listens on port 1: publishing fails at once, as with Redis down.
    with services.celery_app_on("redis://127.0.0.1:1/0", queue):
        document = document_upload(
            application=application,
            kind="passport",
            uploaded=SimpleUploadedFile("scan.jpg", corpus.image()),
            actor=applicant,
        )
    # tests.services.celery_app_on force-closes kombu's registry pool of the outer broker
    # when nested; drop the registry so publishing to the real Redis gets a fresh pool.
    kombu.pools.reset()
    document.refresh_from_db()
    assert document.status == Document.Status.UPLOADED

    time.sleep(1.5)
    outcome = document_sweep(stuck_after_seconds=1)

    assert outcome["sent"] >= 1
    assert wait_for_status(document, Document.Status.READY).status == Document.Status.READY
