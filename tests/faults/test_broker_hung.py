"""Redis accepts connections and never answers: pages still answer at once, sweeps do the work.

Measured before the fix: an upload took 5.1 s and a submit 10.2 s (a 5 s socket timeout per
publish), and a dozen such uploads starved every other page of the server's threads.
"""

import io
import time

import pytest
from django.test import Client
from PIL import Image

from applications import services as application_services
from applications.documents.tasks import document_sweep
from applications.models import Application, ApplicationScore, Document, Notification
from applications.scoring.tasks import application_score_sweep
from applications.states import State
from applications.tasks import notification_sweep
from eligibility.products import Product
from portal.queueing import enqueue
from tests import services
from tests.applications.applicant.conftest import KANDAS_PAGES, add_ready_documents, fill_pages, verify
from tests.eligibility.db_helpers import seed_set
from tests.faults.harness import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What a page may spend on a broker that does not answer (the publish gives up after 200 ms;
# the rest is the page's own work on a shared, noisy machine).
PAGE_BOUND_SECONDS = 1.0


def jpeg_photo() -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").resize((600, 800)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_a_publish_to_a_hung_broker_gives_up_within_the_bound(hung_broker):
    from applications.documents.tasks import document_process_task

    with services.celery_app_on(hung_broker.url, services.new_queue_name()):
        # The first publish of a process also loads kombu's Redis transport.
        sent, seconds = timed(lambda: enqueue(document_process_task, 1))
        assert sent is False and seconds < PAGE_BOUND_SECONDS, seconds
        for _ in range(3):
            sent, seconds = timed(lambda: enqueue(document_process_task, 1))
            assert sent is False
            assert seconds < 0.4, seconds  # 200 ms timeout, no retry
    assert hung_broker.connections >= 1  # it really connected and waited for a reply


def test_upload_and_submit_answer_at_once_with_a_hung_broker_and_the_sweeps_finish_the_work(
    applicant, hung_broker, redis_url, worker_factory, smtp_server
):
    services.require_postgres()
    seed_set("kandas_card")
    verify(applicant)
    client = Client()
    client.force_login(applicant)
    kandas = application_services.application_start(owner=applicant, product=Product.KANDAS_CARD)
    visa = application_services.application_start(owner=applicant, product=Product.SKILLS_VISA)
    fill_pages(client, kandas, KANDAS_PAGES)
    add_ready_documents(kandas)
    queue = services.new_queue_name()

    with services.celery_app_on(hung_broker.url, queue):
        upload, upload_seconds = timed(
            lambda: client.post(
                f"/applications/{visa.pk}/documents/upload/passport/",
                {"file": _named(jpeg_photo(), "passport.jpg")},
            )
        )
        submit, submit_seconds = timed(lambda: client.post(f"/applications/{kandas.pk}/check/", {"confirm": "on"}))

    assert upload.status_code == 302, upload.content.decode()[:2000]
    assert submit.status_code == 302, submit.content.decode()[:2000]
    assert upload_seconds < PAGE_BOUND_SECONDS, upload_seconds
    assert submit_seconds < PAGE_BOUND_SECONDS, submit_seconds
    assert hung_broker.connections >= 1

    # Nothing reached a worker, but everything is committed where the sweeps look.
    document = Document.objects.get(application=visa)
    assert document.status == Document.Status.UPLOADED
    kandas.refresh_from_db()
    assert kandas.state == State.SUBMITTED
    email = Notification.objects.filter(application=kandas, channel=Notification.Channel.EMAIL).get()
    assert email.status == Notification.Status.PENDING
    assert ApplicationScore.objects.get(application=kandas).scored_at is None

    # The broker is back (a real Redis); beat's sweeps re-queue it all (run here, so that
    # they publish to this test's private queue).
    worker_factory(
        redis_url,
        queue,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
    )
    with services.celery_app_on(redis_url, queue):
        assert document_sweep(stuck_after_seconds=0)["sent"] == 1
        assert notification_sweep(older_than_seconds=0) >= 1
        assert application_score_sweep(older_than_seconds=0) == 1
        wait_until(
            lambda: Document.objects.get(pk=document.pk).status == Document.Status.READY,
            timeout=60,
            what="the swept document to be processed",
        )
        wait_until(
            lambda: Notification.objects.get(pk=email.pk).status == Notification.Status.SENT,
            timeout=60,
            what="the swept e-mail to be sent",
        )
        wait_until(
            lambda: ApplicationScore.objects.get(application=kandas).scored_at is not None,
            timeout=60,
            what="the swept score to be stored",
        )
    assert Application.objects.get(pk=kandas.pk).score_detail


def test_a_hung_cache_does_not_stall_a_page(hung_broker, settings):
    """Throttles and rate limits count in Redis: a hung Redis costs a page at most the cache timeout."""
    Client().get("/api/v1/regions/")  # load the URL conf and the API's modules first
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": hung_broker.url,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    # (pytest-django's settings fixture makes Django rebuild its cache handlers.)
    response, seconds = timed(lambda: Client().get("/api/v1/regions/"))
    assert seconds < PAGE_BOUND_SECONDS, seconds
    assert hung_broker.connections >= 1
    # The throttles let the request through rather than fail it.
    assert response.status_code == 200, response.content[:500]


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")
