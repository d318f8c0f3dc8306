"""SMS through the outbox on real Redis and a real worker: Redis down at the event, then the
provider refusing (HTTP 503), then both recover; each SMS is accepted exactly once."""

from collections import Counter

import pytest

from applications.models import Application, Notification
from applications.sms.backends import file_backend_messages
from applications.sms.services import phone_code_confirm, phone_code_send
from applications.tasks import notification_sweep
from applications.workflow import application_transition
from tests import services
from tests.applications.sms.conftest import code_in
from tests.faults.harness import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _sms_rows():
    return Notification.objects.filter(channel=Notification.Channel.SMS).order_by("pk")


def test_each_sms_is_sent_exactly_once_after_redis_and_the_provider_recover(
    applicant, private_redis, worker_factory, smtp_server, sms_provider, settings, tmp_path
):
    # The applicant verifies a phone the usual way (the code goes through the file backend).
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "codes.jsonl")
    phone_code_send(user=applicant, number_text="+7 701 123 45 67")
    phone_code_confirm(user=applicant, code=code_in(file_backend_messages()[-1]))

    queue = services.new_queue_name()
    applications = [
        Application.objects.create(product="kandas_card", owner=applicant, applicant_name="Aigerim") for _ in range(3)
    ]
    with services.celery_app_on(private_redis.url, queue):
        # Redis is down when the events happen: the rows are committed, the publishes fail fast.
        private_redis.stop()
        for application in applications:
            application_transition(application=application, action="submit", actor=applicant)
        rows = list(_sms_rows())
        assert len(rows) == 3
        assert all(row.status == Notification.Status.PENDING and row.attempts == 0 for row in rows)

        # Redis is back; the provider refuses everything for now.
        private_redis.start()
        sms_provider.refusing = True
        worker_factory(
            private_redis.url,
            queue,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_server.port),
            SMS_BACKEND="http",
            SMS_HTTP_URL=sms_provider.url,
            SMS_HTTP_TOKEN=sms_provider.token,
            # Retries due within seconds, not minutes.
            NOTIFICATION_RETRY_BASE_SECONDS="1",
            NOTIFICATION_RETRY_MAX_SECONDS="2",
        )
        # Beat's sweep re-queues what the broker never got: three e-mails and three SMS.
        assert notification_sweep(older_than_seconds=0) == 6
        wait_until(
            lambda: all(row.attempts >= 1 and "503" in row.last_error for row in _sms_rows()),
            timeout=60,
            what="the provider to refuse every SMS once",
        )
        assert sms_provider.accepted == {}
        assert all(row.status == Notification.Status.PENDING for row in _sms_rows())

        # The provider recovers; the sweep (beat runs it every minute) re-queues what is due.
        sms_provider.refusing = False

        def all_sent() -> bool:
            notification_sweep(older_than_seconds=0)
            return all(row.status == Notification.Status.SENT for row in _sms_rows())

        wait_until(all_sent, timeout=90, interval=1, what="every SMS to be sent after the provider recovered")

    keys = [row.idempotency_key for row in _sms_rows()]
    accepted = Counter(request["key"] for request in sms_provider.requests if request["status"] == 200)
    assert accepted == Counter(keys), sms_provider.requests
    assert all(request["key"] in keys for request in sms_provider.requests)
    assert {request["to"] for request in sms_provider.requests} == {"+77011234567"}
    assert len(smtp_server.messages) == 3
    # In the applicant's language (Kazakh by default).
    assert all("Толығырақ" in message["text"] for message in sms_provider.accepted.values())
