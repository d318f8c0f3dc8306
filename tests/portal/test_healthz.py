from django.test import override_settings

from tests.services import celery_app_on, new_queue_name


def test_healthz_reports_every_dependency(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert response.status_code == (200 if body["status"] == "ok" else 503)


def test_healthz_reports_a_reachable_redis_broker(client, db, redis_url):
    with celery_app_on(redis_url, new_queue_name()):
        body = client.get("/healthz").json()
    assert body["checks"]["broker"]["status"] == "ok", body


def test_healthz_reports_an_unreachable_broker_as_503(client, db):
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    with celery_app_on("redis://127.0.0.1:1/0", new_queue_name()):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "error"


def test_healthz_reports_an_unreachable_cache_as_503(client, db):
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=dead):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"


def _leaks(body: str) -> list[str]:
    return [word for word in ("127.0.0.1", "localhost", ":1", "6379", "refused", "Error", "errno") if word in body]


def test_healthz_names_the_dependency_that_is_down_but_not_its_address_or_error(client, db, caplog):
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=dead), celery_app_on("redis://127.0.0.1:1/0", new_queue_name()):
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"status": "error", "detail": "unavailable", "ms": body["checks"]["cache"]["ms"]}
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["broker"]["detail"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"
    assert _leaks(response.content.decode()) == []
    # The operator still finds the real error in the server log.
    assert "health check cache failed" in caplog.text


def test_healthz_hides_a_database_error_text(client, db, monkeypatch):
    from portal import health

    def broken() -> str:
        raise OSError('connection to server at "db.internal" (10.0.0.5), port 5432 failed: password authentication')

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["detail"] == "unavailable"
    assert all(word not in response.content.decode() for word in ("db.internal", "10.0.0.5", "5432", "password"))


@override_settings(DEBUG=False)
def test_healthz_says_nothing_of_a_hung_cache_but_its_name(client, db, settings):
    from tests.faults.harness import HungListener

    listener = HungListener()
    hung = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": listener.url,
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    try:
        with override_settings(CACHES=hung):
            response = client.get("/healthz")
    finally:
        listener.close()
    body = response.content.decode()
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["detail"] == "unavailable"
    assert _leaks(body) == [] and str(listener.port) not in body and "Timeout" not in body
