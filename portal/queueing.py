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


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send the task now; return False (and log) when the broker cannot take it."""
    try:
        # ignore_result: nobody waits for these results, and with a Redis result backend
        # a publish would otherwise first subscribe to the result channel, which raises
        # RuntimeError (not a broker error) when Redis is down (tests/faults/).
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True)
    except BROKER_ERRORS as exc:
        logger.warning("broker unreachable, %s(%s) left for the sweep: %s", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue the task once the current transaction commits (immediately if none is open)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
