"""Celery tasks of scoring. They take ids and are safe to run twice.

Their names keep the ``eligibility.`` prefix they had before scoring moved here, so messages
queued by an older release still find their task."""

from typing import Any

from celery import shared_task

from applications.models import Application
from applications.scoring.impact import impact_compute_report
from applications.scoring.services import application_score
from eligibility.models import CriteriaSet, ImpactReport
from portal.queueing import enqueue_on_commit


@shared_task(name="eligibility.impact_compute", bind=True, max_retries=3, default_retry_delay=10)
def impact_compute(self, report_id: int) -> str:
    try:
        return impact_compute_report(report_id).status
    except Exception as exc:  # noqa: BLE001 - record why, then let Celery retry
        ImpactReport.objects.filter(pk=report_id).update(status=ImpactReport.Status.FAILED, error=repr(exc))
        raise


@shared_task(name="eligibility.application_score", bind=True, max_retries=5, default_retry_delay=30)
def application_score_task(self, application_id: int) -> int | None:
    """Score a submitted application against the set stamped on it (or the one in force).

    Safe to run twice: it recomputes and overwrites the same fields. Queue it with
    ``portal.queueing.enqueue_on_commit(application_score_task, application.pk)`` on submission."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return None
    return application_score(application=application)["total"]


@shared_task(name="eligibility.application_score_sweep", ignore_result=True)
def application_score_sweep(older_than_seconds: int = 120) -> int:
    """Re-queue scoring of submitted applications that have no score yet.

    The submission queues the score after commit; when the broker was hung or down at that
    moment (portal.queueing gives up within 200 ms), this beat task is what scores it.
    Applications of a product without published criteria cannot be scored and are skipped.
    """
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import Application
    from eligibility.services import products_with_published_set
    from portal.queueing import enqueue

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Application.objects.filter(
            submitted_at__lt=cutoff,
            scoring__scored_at__isnull=True,
            product__in=products_with_published_set(),
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        enqueue(application_score_task, pk)
    return len(ids)


@shared_task(name="eligibility.impact_sweep", ignore_result=True)
def impact_sweep(older_than_seconds: int = 300) -> int:
    """Re-queue impact reports still waiting: the broker was down or hung when they were asked for.

    A report a worker has started is "running", not "pending", so a live one is not doubled
    (and ``impact_compute_report`` returns a finished one untouched).
    """
    from datetime import timedelta

    from django.utils import timezone

    from portal.queueing import enqueue

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        ImpactReport.objects.filter(status=ImpactReport.Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )
    for pk in ids:
        enqueue(impact_compute, pk)
    return len(ids)


def impact_request(*, criteria_set: CriteriaSet, actor: Any) -> ImpactReport:
    """Create the report and queue the task after commit."""
    report = ImpactReport.objects.create(
        criteria_set=criteria_set, requested_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    enqueue_on_commit(impact_compute, report.pk)
    return report
