"""Enqueue Celery tasks after the database commit, never failing or stalling the request.

If the broker is unreachable at that moment, the row that the task would process is
already committed in a state the periodic sweeps look for (documents stuck in "uploaded",
notifications still "pending"), so the work is re-queued once Redis is back.

A broker that accepts connections but never answers (a stalled Redis, a black-holed
network path) is worse than one that is down: every publish would wait for the socket
timeout. Publishing therefore uses its own small connection pool whose connect and read
timeouts are ``settings.PUBLISH_TIMEOUT_SECONDS`` (200 ms; a publish on loopback takes
well under 1 ms) with no retry, so a page gives up within that bound and leaves the work
to the sweeps. The worker's own consuming connection keeps Celery's patient timeouts.
"""

import functools
import logging
import threading
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu.connection import ConnectionPool
from kombu.exceptions import LimitExceeded, OperationalError

logger = logging.getLogger(__name__)

# Errors a publisher raises when Redis is down, unreachable or does not answer in time.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError, OSError, TimeoutError)

# Connections kept per process for publishing (a gunicorn thread or a pool child holds one
# at a time while it publishes, well under a millisecond).
_POOL_LIMIT = 10

_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()


def _publish_pool(task: Task) -> ConnectionPool:
    """The fast-failing publisher pool for the app's current broker URL (tests switch brokers)."""
    app = task.app
    url = app.conf.broker_write_url or app.conf.broker_url
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            timeout = settings.PUBLISH_TIMEOUT_SECONDS
            options = {
                **(app.conf.broker_transport_options or {}),
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "max_retries": 0,
            }
            connection = app.connection_for_write(url, connect_timeout=timeout, transport_options=options)
            pool = _pools[url] = connection.Pool(limit=_POOL_LIMIT)
    return pool


def publish_pools_reset() -> None:
    """Close every publisher connection (tests that stop or swap the broker call this)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.force_close_all()
        _pools.clear()


def task_named(name: str) -> Task:
    """The registered task called ``name``. Services queue their tasks by name, so a service
    module never imports the task module that imports it back (tests/test_architecture.py);
    every task module is imported at start-up (``ApplicationsConfig.ready``)."""
    from portal.celery import app

    try:
        return app.tasks[name]
    except KeyError as exc:
        raise LookupError(f"no Celery task named {name!r}: is its module imported at start-up?") from exc


def enqueue(task: Task | str, *args: Any, **kwargs: Any) -> bool:
    """Send the task now; return False (and log) when the broker cannot take it in time."""
    if isinstance(task, str):
        task = task_named(task)
    try:
        pool = _publish_pool(task)
        # Every connection busy (a burst of threads publishing): do not queue behind them.
        connection = pool.acquire(block=True, timeout=settings.PUBLISH_TIMEOUT_SECONDS)
        # ignore_result: nobody waits for these results, and with a Redis result backend
        # a publish would otherwise first subscribe to the result channel, which raises
        # RuntimeError (not a broker error) when Redis is down (tests/faults/).
        # retry=False: the sweeps are the retry, not a loop inside the request.
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True, connection=connection, retry=False)
    except BROKER_ERRORS as exc:
        if connection is not None:
            # Drop the socket that timed out: the next publish reconnects instead of
            # reading a late reply meant for this one.
            connection.collect()
        logger.warning("broker unreachable, %s(%s) left for the sweep: %s", task.name, args, exc)
        return False
    except LimitExceeded as exc:  # every pooled connection is busy
        logger.warning("broker busy, %s(%s) left for the sweep: %s", task.name, args, exc)
        return False
    finally:
        if connection is not None:
            connection.release()
    return True


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Queue the task (or the task of that name) once the current transaction commits
    (immediately if none is open)."""
    if isinstance(task, str):
        task_named(task)  # an unknown name fails here, in the caller's transaction
    transaction.on_commit(functools.partial(enqueue, task, *args, **kwargs))
