"""Celery tasks of the eligibility app. They take ids and are safe to run twice."""

from celery import shared_task

from eligibility.models import ImpactReport


@shared_task(name="eligibility.impact_compute", bind=True, max_retries=3, default_retry_delay=10)
def impact_compute(self, report_id: int) -> str:
    from eligibility.impact import impact_compute_report

    try:
        return impact_compute_report(report_id).status
    except Exception as exc:  # noqa: BLE001 - record why, then let Celery retry
        ImpactReport.objects.filter(pk=report_id).update(status=ImpactReport.Status.FAILED, error=repr(exc))
        raise
