"""Dependency checks for /healthz: database, cache and Celery broker."""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def _timed(name: str, check: Callable[[], str]) -> dict:
    """Run one check. The answer names the dependency and whether it is down, nothing more:
    /healthz is public, and an error text carries hosts, ports, user names and versions
    (issue 13). The full error goes to the server log for the operator."""
    started = time.perf_counter()
    try:
        detail = check()
        status = "ok"
    except Exception:  # noqa: BLE001 - any failure means "unreachable", reported as such
        logger.exception("health check %s failed", name)
        detail = "unavailable"
        status = "error"
    return {"status": status, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_broker() -> str:
    from portal.celery import app

    if app.conf.task_always_eager:
        return "eager (tasks run in-process, no broker)"

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        return conn.transport_cls if isinstance(conn.transport_cls, str) else "connected"


CHECKS: dict[str, Callable[[], str]] = {"database": check_database, "cache": check_cache, "broker": check_broker}


def health_report() -> dict:
    results = {name: _timed(name, check) for name, check in CHECKS.items()}
    return {"status": "ok" if all(r["status"] == "ok" for r in results.values()) else "error", "checks": results}
