"""Uploads and submissions racing a real worker and the sealer on the same applications:
no deadlock, no error, and afterwards an intact, fully sealed chain (issue 14).

Before the sealer, every audit write took one global advisory lock until commit; a web path
that had locked the application row waited for it while the worker, holding it, waited for
the same row in its audit insert's foreign-key check: PostgreSQL killed one side.
"""

import io
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections
from django.test import Client
from PIL import Image

from applications import services as application_services
from applications.documents.services import UploadRefused, document_upload
from applications.models import Application, Document
from applications.states import State
from portal.audit.models import AuditEvent
from portal.audit.seal import audit_seal
from portal.audit.verify import audit_verify
from portal.models import User
from tests.applications.applicant.conftest import KANDAS_PAGES, add_ready_documents, fill_pages, verify
from tests.eligibility.db_helpers import seed_set

APPLICATIONS = 3
UPLOADS_PER_APPLICATION = 10


def _jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), ((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256)).save(buffer, "JPEG")
    return buffer.getvalue()


def _deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def _ready_application(n: int) -> Application:
    owner = verify(User.objects.create_user(email=f"racer{n}@example.org", password="correct-horse-battery-9"))
    application = application_services.application_start(owner=owner, product="kandas_card")
    client = Client()
    client.force_login(owner)
    fill_pages(client, application, KANDAS_PAGES)
    add_ready_documents(application)
    application.refresh_from_db()
    return application


@pytest.mark.slow
def test_uploads_and_submits_racing_a_real_worker_never_deadlock_and_the_chain_seals_intact(celery_worker):
    seed_set("kandas_card")
    applications = [_ready_application(n) for n in range(APPLICATIONS)]
    deadlocks_before = _deadlocks()
    errors: list[BaseException] = []
    start = threading.Barrier(APPLICATIONS * 2 + 1)
    stop_sealing = threading.Event()
    seals: list[int] = []

    def guarded(work):
        def run(*args) -> None:
            try:
                start.wait(timeout=30)
                work(*args)
            except BaseException as exc:  # noqa: BLE001 - every failure is asserted on below
                errors.append(exc)
            finally:
                connections.close_all()

        return run

    @guarded
    def upload(index: int, application: Application) -> None:
        for n in range(UPLOADS_PER_APPLICATION):
            document_upload(
                application=application,
                kind=Document.Kind.OTHER,
                uploaded=SimpleUploadedFile(f"scan-{n}.jpg", _jpeg(index * 100 + n), content_type="image/jpeg"),
                actor=application.owner,
            )
            # Spread the uploads over the time the worker is finishing earlier ones, so the
            # application row is locked by an upload while the worker writes its audit rows.
            time.sleep(0.05)

    @guarded
    def submit(application: Application) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                application_services.application_submit(application=application, actor=application.owner)
                return
            except application_services.SubmissionIncomplete:
                # Documents still in the pipeline: what the page would say; try again.
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    @guarded
    def seal() -> None:
        while not stop_sealing.is_set():
            seals.append(audit_seal().sealed)
            time.sleep(0.05)

    threads = [threading.Thread(target=upload, args=(i, app)) for i, app in enumerate(applications)]
    threads += [threading.Thread(target=submit, args=(app,)) for app in applications]
    threads.append(threading.Thread(target=seal))
    for thread in threads:
        thread.start()
    for thread in threads[:-1]:
        thread.join(90)

    # The worker finishes every document it was sent.
    deadline = time.monotonic() + 60
    while Document.objects.filter(status__in=[Document.Status.UPLOADED, Document.Status.PROCESSING]).exists():
        assert time.monotonic() < deadline, "documents left unprocessed"
        time.sleep(0.2)
    stop_sealing.set()
    threads[-1].join(30)

    assert not [e for e in errors if isinstance(e, DatabaseError | UploadRefused)], errors
    assert errors == []
    log = celery_worker.worker_process.log()
    assert "deadlock detected" not in log
    assert "Retry in" not in log, log[-3000:]
    time.sleep(1.0)  # statistics reach pg_stat_database when the backends report them
    assert _deadlocks() == deadlocks_before
    for application in applications:
        application.refresh_from_db()
        assert application.state == State.SUBMITTED
        assert AuditEvent.objects.filter(application=application, action="submit").count() == 1
    uploaded = Document.objects.filter(kind=Document.Kind.OTHER)
    assert uploaded.count() == APPLICATIONS * UPLOADS_PER_APPLICATION
    assert set(uploaded.values_list("status", flat=True)) == {Document.Status.READY}

    # The sealer ran alongside, and the whole trail ends up sealed and intact.
    assert sum(seals) > 0
    audit_seal(gap_grace=0)
    report = audit_verify()
    assert report.problems == []
    assert report.pending == 0
    assert report.checked == AuditEvent.objects.count()
