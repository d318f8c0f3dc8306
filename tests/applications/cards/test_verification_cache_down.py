"""The public checks' rate limit fails closed, fast and politely when its cache cannot count.

Before: with the cache down (connection refused) or hung (accepts, never answers) the
verification page, the QR scan page and the public API answered 500.
"""

import time

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from applications.models import CardCheck
from tests.faults.harness import HungListener, free_port

pytestmark = pytest.mark.django_db

# The cache gives up after CACHE_TIMEOUT_MS (150 ms) without retrying; the rest is the page.
PAGE_BOUND_SECONDS = 1.0


@pytest.fixture(params=["hung", "refused"])
def broken_cache(request, settings):
    """The default cache pointed at a Redis that never answers, or at a port nobody listens on."""
    Client().get("/verify/")  # load the URL conf and the views before the clock starts
    listener = HungListener() if request.param == "hung" else None
    port = listener.port if listener else free_port()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    with override_settings(CACHES=caches):
        yield listener
    if listener:
        listener.close()


def timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_the_verification_page_refuses_politely_and_fast(broken_cache, card, security_log):
    response, seconds = timed(
        lambda: Client().post(
            "/verify/", {"number": card.number, "code": "ABCDEFGHJ", "checker": "ACME LLP"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "Card checks are paused" in page
    assert "Please try again in a few minutes." in page
    assert seconds < PAGE_BOUND_SECONDS, seconds
    assert not CardCheck.objects.exists()  # refused before looking anything up
    assert security_log.events("card_check_limit_unavailable")
    if broken_cache is not None:
        assert broken_cache.connections >= 1  # it really reached the hung listener


def test_the_scan_page_refuses_politely(broken_cache, card):
    response = Client().post("/verify/scan/", {"payload": card.payload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "Card checks are paused" in response.content.decode()


def test_the_public_api_answers_its_error_shape(broken_cache, card):
    response, seconds = timed(
        lambda: APIClient().post("/api/v1/public/verify/", {"number": card.number, "code": "ABCDEFGHJ"}, format="json")
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "checks_unavailable"
    assert response.json()["error"]["message"]
    assert seconds < PAGE_BOUND_SECONDS, seconds


def test_the_refusal_is_in_the_visitors_language(broken_cache, card):
    page = Client().post("/verify/", {"number": card.number, "code": "X"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 503
    assert "Проверка карт приостановлена" in page.content.decode()
    api = APIClient().post(
        "/api/v1/public/verify/", {"number": card.number, "code": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="kk"
    )
    assert api.json()["error"]["message"].startswith("Карта тексеру")
