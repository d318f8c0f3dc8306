"""Celery tasks of the document pipeline: they take ids and are safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# "uploaded" rows not picked up this long after they were queued are queued again (the
# broker was down or hung when the page published, or lost the message). A duplicate
# message costs one row lock: the claim and lease keep it from processing twice.
STUCK_AFTER_SECONDS = 120


@shared_task(
    name="applications.document_process",
    # The outcome lives on the Document row; a result backend would only add a second
    # Redis round-trip (and a 20 s reconnect loop when Redis is down) to every upload.
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Storage, database or network hiccups: try again later, with growing pauses.
    autoretry_for=(OSError, ConnectionError, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    bind=True,
)
def document_process_task(self, document_id: int) -> str:
    """Process one document; returns its final status."""
    from applications.models import Document

    from .services import document_process

    try:
        # The task id is the claim: a redelivery of this same message takes the row over.
        return document_process(document_id=document_id, claim=self.request.id).status
    except Document.DoesNotExist:
        # Deleted (application withdrawn and purged) before a worker got to it.
        logger.info("document %s no longer exists", document_id)
        return "missing"


@shared_task(
    name="applications.document_pages_combine",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, ConnectionError, OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def document_pages_combine_task(application_id: int, kind: str) -> str:
    """Combine one kind's pages into one PDF (document_pages_combine); safe to run twice."""
    from applications.models import Application

    from .services import document_pages_combine

    try:
        combined = document_pages_combine(application_id=application_id, kind=kind)
    except Application.DoesNotExist:
        return "missing"
    return "combined" if combined is not None else "waiting"


@shared_task(name="applications.document_sweep", ignore_result=True)
def document_sweep(stuck_after_seconds: int = STUCK_AFTER_SECONDS) -> dict[str, int]:
    """Re-queue documents the broker lost or a dead worker left half-way; give up on repeat failures."""
    from portal.queueing import enqueue

    from .services import document_give_up, document_pages_stuck, documents_stuck

    requeue, give_up = documents_stuck(older_than=timedelta(seconds=stuck_after_seconds))
    sent = sum(1 for pk in requeue if enqueue(document_process_task, pk))
    for pk in give_up:
        document_give_up(document_id=pk)
    # Pages of a submitted application still apart: the combining message was lost.
    combine = document_pages_stuck()
    for application_id, kind in combine:
        enqueue(document_pages_combine_task, application_id, kind)
    if requeue or give_up or combine:
        logger.info(
            "document sweep: %s re-queued (%s sent), %s given up, %s page sets to combine",
            len(requeue),
            sent,
            len(give_up),
            len(combine),
        )
    return {"requeued": len(requeue), "sent": sent, "given_up": len(give_up), "combine": len(combine)}


@shared_task(name="applications.document_orphans_sweep", ignore_result=True)
def document_orphans_sweep() -> int:
    """Remove files a dead worker wrote but never linked (document_orphans_remove)."""
    from .services import document_orphans_remove

    return document_orphans_remove()
