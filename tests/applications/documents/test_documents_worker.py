"""Real Celery worker on real Redis and PostgreSQL: uploads processed end to end."""

from __future__ import annotations

import io
import os
import signal
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


@pytest.fixture
def solo_workers(transactional_db, django_db_serialized_rollback, redis_url):
    """Start real ``--pool=solo`` workers on one private queue: the task runs in the process we kill."""
    services.require_postgres()
    queue = services.new_queue_name()
    started: list[services.WorkerProcess] = []

    def start() -> services.WorkerProcess:
        worker = services.WorkerProcess(
            broker=redis_url,
            queue=queue,
            # A short lease, so that the dead worker's claim runs out within the test.
            env={"DATABASE_URL": services.database_url_for_subprocess(), "DOCUMENT_LEASE_SECONDS": "2"},
            pool="solo",
        )
        started.append(worker)
        worker.wait_ready()
        return worker

    try:
        with services.celery_app_on(redis_url, queue):
            # celery_app_on force-closes kombu's registry pool for this URL when an earlier
            # test used it; start from fresh pools.
            kombu.pools.reset()
            yield start
    finally:
        for worker in started:
            worker.stop()


@pytest.mark.slow
def test_a_worker_killed_mid_task_leaves_nothing_half_written_and_the_sweep_finishes_it(solo_workers, applicant):
    worker = solo_workers()
    application = make_application(applicant, state="draft")
    # 49 megapixels of smooth grey: tiny file, about two seconds of decoding and resizing.
    slow = io.BytesIO()
    Image.linear_gradient("L").resize((7000, 7000)).save(slow, "PNG")

    document = document_upload(
        application=application,
        kind="passport",
        uploaded=SimpleUploadedFile("slow.png", slow.getvalue()),
        actor=applicant,
    )
    wait_for_status(document, Document.Status.PROCESSING, timeout=30)
    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(timeout=10)

    document.refresh_from_db()
    assert document.status == Document.Status.PROCESSING
    assert not document.sanitised_file and not document.thumbnail

    solo_workers()
    # The dead worker's lease (2 s here) must run out before the sweep hands the row on.
    time.sleep(2.5)
    outcome = document_sweep(stuck_after_seconds=0)

    assert outcome["sent"] == 1
    document = wait_for_status(document, Document.Status.READY, Document.Status.REJECTED)
    assert (document.status, document.attempts) == (Document.Status.READY, 2)
    with document.sanitised_file.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).size == (2000, 2000)
