"""A worker process killed with SIGKILL mid-task: the task runs again and sends once."""

import io
import os
import signal
import time
from pathlib import Path

import pytest

from applications.models import Application, Notification
from applications.workflow import application_transition
from tests import services
from tests.faults.harness import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def test_sigkilled_worker_task_is_redelivered_and_completes_without_duplicate(
    applicant, redis_url, worker_factory, stalling_smtp_server
):
    queue = services.new_queue_name()
    worker = worker_factory(
        redis_url,
        queue,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(stalling_smtp_server.port),
        EMAIL_TIMEOUT="60",
    )
    application = Application.objects.create(product="kandas_card", owner=applicant, applicant_name="Aigerim")
    with services.celery_app_on(redis_url, queue):
        application_transition(application=application, action="submit", actor=applicant)
        email = Notification.objects.get(application=application, channel=Notification.Channel.EMAIL)

        # The pool process is inside smtplib, waiting for a greeting that never comes.
        assert stalling_smtp_server.first_connection.wait(60), worker.log()
        [child] = pool_children(worker.proc.pid)
        os.kill(child, signal.SIGKILL)

        wait_until(
            lambda: Notification.objects.get(pk=email.pk).status == Notification.Status.SENT,
            timeout=90,
            what="the redelivered task to send the e-mail",
        )
    log = worker.log()
    assert "signal 9" in log or "WorkerLostError" in log, log
    assert len(stalling_smtp_server.messages) == 1
    email.refresh_from_db()
    # The killed attempt's transaction was rolled back with its connection.
    assert email.attempts == 1


def test_a_whole_worker_killed_mid_document_is_processed_soon_after_a_new_worker_starts(
    applicant, redis_url, worker_factory
):
    """SIGKILL of the main worker process and its pool children (an OOM kill, a lost
    machine): nothing acknowledges or rejects the message, which Redis would hand out again
    only after the visibility timeout (an hour). The row's lease runs out instead, and the
    sweep gives the document to the new worker within lease + one sweep interval."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from applications.documents.services import document_upload
    from applications.documents.tasks import document_sweep
    from applications.models import Document
    from tests.applications.documents.conftest import make_application

    lease = 3
    queue = services.new_queue_name()
    worker = worker_factory(redis_url, queue, DOCUMENT_LEASE_SECONDS=str(lease))
    application = make_application(applicant, state="draft")
    # 49 megapixels of smooth grey: a tiny file and a few seconds of decoding and resizing.
    slow = io.BytesIO()
    Image.linear_gradient("L").resize((7000, 7000)).save(slow, "PNG")
    with services.celery_app_on(redis_url, queue):
        document = document_upload(
            application=application,
            kind="passport",
            uploaded=SimpleUploadedFile("slow.png", slow.getvalue()),
            actor=applicant,
        )
        wait_until(
            lambda: Document.objects.get(pk=document.pk).status == Document.Status.PROCESSING,
            timeout=60,
            what="a pool process to start on the document",
        )
        children = pool_children(worker.proc.pid)
        os.kill(worker.proc.pid, signal.SIGKILL)
        for child in children:
            os.kill(child, signal.SIGKILL)
        worker.proc.wait(timeout=10)
        assert Document.objects.get(pk=document.pk).status == Document.Status.PROCESSING

        worker_factory(redis_url, queue, DOCUMENT_LEASE_SECONDS=str(lease))
        started = time.monotonic()
        sweep_every = 1.0  # beat runs it every 30 s; here faster, to keep the test short
        wait_until(
            lambda: document_sweep(stuck_after_seconds=300)["sent"] == 1,
            timeout=lease + 10,
            what="the sweep to hand the document on once the dead worker's lease ran out",
            interval=sweep_every,
        )
        wait_until(
            lambda: Document.objects.get(pk=document.pk).status == Document.Status.READY,
            timeout=60,
            what="the new worker to finish the document",
        )
    document.refresh_from_db()
    assert document.attempts == 2
    # Lease + a sweep + the decode itself, far from the 5 minutes it used to take.
    assert time.monotonic() - started < lease + sweep_every + 45
