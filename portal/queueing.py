"""Enqueue Celery tasks after the database commit, never failing the request.

If the broker is unreachable at that moment, the row that the task would process is
already committed in a state the periodic sweeps look for (documents stuck in "uploaded",
notifications still "pending"), so the work is re-queued once Redis is back.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Errors a publisher raises when Redis is down or unreachable.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError, OSError, TimeoutError)


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
    """Send the task now; return False (and log) when the broker cannot take it."""
    if isinstance(task, str):
        task = task_named(task)
    try:
        # ignore_result: nobody waits for these results, and with a Redis result backend
        # a publish would otherwise first subscribe to the result channel, which raises
        # RuntimeError (not a broker error) when Redis is down (tests/faults/).
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True)
    except BROKER_ERRORS as exc:
        logger.warning("broker unreachable, %s(%s) left for the sweep: %s", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Queue the task (or the task of that name) once the current transaction commits
    (immediately if none is open)."""
    if isinstance(task, str):
        task_named(task)  # an unknown name fails here, in the caller's transaction
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
