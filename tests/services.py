"""Helpers that let tests use the real PostgreSQL, Redis and Celery workers.

Locally, tests needing a service that is not there are skipped with a clear reason; in CI
(CI=true) they fail instead, because CI must prove the real parts.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI requires this service: {reason}")
    pytest.skip(reason)


def redis_url() -> str:
    """The Redis URL tests may use (own db number per run), or skip/fail if unreachable."""
    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            pass
    except OSError:
        unavailable(f"Redis is not reachable at {url}")
    return url


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        unavailable("this test needs PostgreSQL (set DATABASE_URL=postgres://...)")


def database_url_for_subprocess() -> str:
    """A DATABASE_URL pointing at the test database the current test runs on."""
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@contextmanager
def celery_app_on(broker: str, queue: str):
    """Point this process's Celery app at a real broker and queue (not eager) for a test."""
    from portal.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")}
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = broker
    app.conf.update(broker_url=broker, result_backend=broker, task_always_eager=False, task_default_queue=queue)
    _reset_connections(app)
    try:
        yield app
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        app.conf.update(saved)
        _reset_connections(app)


def _reset_connections(app) -> None:
    import kombu.pools

    from portal.queueing import publish_pools_reset

    publish_pools_reset()

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    # kombu keeps its own registry of pools per connection URL; a closed pool left there
    # would be handed to the next publisher ("Acquire on closed pool").
    kombu.pools.reset()
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)
    vars(app._local).pop("backend", None)


class WorkerProcess:
    """A real `celery worker` subprocess consuming one private queue."""

    def __init__(self, *, broker: str, queue: str, env: dict[str, str], concurrency: int = 1, pool: str = "prefork"):
        self.queue = queue
        self.log_path = ROOT / "var" / f"worker-{queue}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "CELERY_BROKER_URL": broker,
            "REDIS_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **env,
        }
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            if "ready." in self.log():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def new_queue_name() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def settings_summary() -> str:
    return f"db={connection.vendor} eager={settings.CELERY_TASK_ALWAYS_EAGER}"
