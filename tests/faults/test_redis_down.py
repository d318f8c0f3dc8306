"""Redis stops while an applicant submits: the submission is saved, the e-mail goes later."""

import pytest

from applications.models import Application, Notification
from applications.states import State
from applications.tasks import notification_sweep
from applications.workflow import application_transition
from portal.audit.models import AuditEvent
from tests import services
from tests.faults.harness import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_submission_is_saved_with_redis_down_and_its_email_sent_once_redis_is_back(
    applicant, private_redis, worker_factory, smtp_server
):
    queue = services.new_queue_name()
    application = Application.objects.create(product="kandas_card", owner=applicant, applicant_name="Aigerim")
    with services.celery_app_on(private_redis.url, queue):
        private_redis.stop()

        application_transition(application=application, action="submit", actor=applicant)

        application.refresh_from_db()
        assert application.state == State.SUBMITTED
        assert AuditEvent.objects.filter(application=application, action="submit").count() == 1
        email = Notification.objects.get(application=application, channel=Notification.Channel.EMAIL)
        assert email.status == Notification.Status.PENDING

        private_redis.start()
        worker_factory(
            private_redis.url,
            queue,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_server.port),
        )
        # Beat's sweep re-queues what the broker never got (run here, so that it
        # publishes to this test's private queue).
        assert notification_sweep(older_than_seconds=0) == 1
        wait_until(
            lambda: Notification.objects.get(pk=email.pk).status == Notification.Status.SENT,
            timeout=60,
            what="the pending e-mail to be sent",
        )
    assert len(smtp_server.messages) == 1
