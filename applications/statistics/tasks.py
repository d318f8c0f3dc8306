"""The monthly release as a beat task: takes no arguments, safe to run twice."""

from celery import shared_task

from applications.statistics.models import Release
from applications.statistics.services import previous_month, release_compute


@shared_task(name="statistics.release_publish", ignore_result=True)
def statistics_release_publish() -> str:
    """Publish last month's figures once; a month already out is left as published (a
    revision is an explicit ``manage.py statistics_release --month YYYY-MM``)."""
    period = previous_month()
    if Release.objects.filter(period=period).exists():
        return "exists"
    release_compute(period=period)
    return "published"
