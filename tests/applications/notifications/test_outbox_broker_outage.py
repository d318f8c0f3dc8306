"""Exactly-once delivery across a broker outage, with a real worker on a real Redis."""

import time

import pytest

from applications.models import Application, Notification
from applications.tasks import notification_send, notification_sweep
from applications.workflow import application_transition
from eligibility.products import Product
from tests import services
from tests.applications.notifications.conftest import sent_messages

pytestmark = [pytest.mark.faults, pytest.mark.slow]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def publish_when_broker_is_back(task, *args, **kwargs) -> None:
    """What beat does every minute: try to publish; a stale connection may fail once."""
    deadline = time.monotonic() + 30
    while True:
        try:
            task.apply_async(args=args, kwargs=kwargs)
            return
        except Exception:  # noqa: BLE001 - retried like beat would, until the deadline
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def succeeded(log: str, task_name: str) -> int:
    return sum(1 for line in log.splitlines() if f"Task {task_name}[" in line and "succeeded" in line)


@pytest.fixture
def worker_on_private_redis(transactional_db, django_db_serialized_rollback, private_redis, tmp_path):
    services.require_postgres()
    queue = services.new_queue_name()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = services.WorkerProcess(
        broker=private_redis.url,
        queue=queue,
        env={
            "DATABASE_URL": services.database_url_for_subprocess(),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        },
    )
    try:
        worker.wait_ready()
        with services.celery_app_on(private_redis.url, queue) as app:
            app.conf.task_default_queue = queue
            yield worker, mail_dir
    finally:
        worker.stop()


def test_notification_written_while_redis_is_down_is_delivered_exactly_once_after_it_returns(
    worker_on_private_redis, private_redis, applicant
):
    worker, mail_dir = worker_on_private_redis
    application = Application.objects.create(product=Product.KANDAS_CARD, owner=applicant)

    private_redis.stop()
    assert not private_redis.is_up()
    # The event happens during the outage: the request succeeds, the publish fails quietly.
    started = time.monotonic()
    application_transition(application=application, action="submit", actor=applicant)
    print(f"submission during the outage took {time.monotonic() - started:.3f} s")

    email = Notification.objects.get(application=application, channel=Notification.Channel.EMAIL)
    assert email.status == Notification.Status.PENDING
    assert email.attempts == 0
    assert Notification.objects.filter(application=application, channel=Notification.Channel.IN_APP).exists()
    time.sleep(1)
    assert sent_messages(mail_dir, email.idempotency_key) == 0

    private_redis.start()
    restarted = time.monotonic()
    # The beat sweep (here run by the real worker itself) re-queues what the broker lost.
    publish_when_broker_is_back(notification_sweep, older_than_seconds=0)
    wait_for(
        lambda: Notification.objects.filter(pk=email.pk, status=Notification.Status.SENT).exists(),
        timeout=90,
        what=f"the worker to send the e-mail; worker log:\n{worker.log()}",
    )
    wait_for(lambda: sent_messages(mail_dir, email.idempotency_key) == 1, timeout=10, what="the e-mail file")
    print(f"delivered {time.monotonic() - restarted:.1f} s after Redis came back")

    # A second sweep and a duplicate task (a redelivery) must not send it again.
    publish_when_broker_is_back(notification_sweep, older_than_seconds=0)
    publish_when_broker_is_back(notification_send, email.pk)
    wait_for(
        lambda: succeeded(worker.log(), "applications.notification_send") >= 2,
        timeout=60,
        what="the duplicate task to run",
    )

    email.refresh_from_db()
    assert email.attempts == 1
    assert sent_messages(mail_dir, email.idempotency_key) == 1
    assert "applications.notification_send" in worker.log()
