"""A worker process killed with SIGKILL mid-task: the task runs again and sends once."""

import os
import signal
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
