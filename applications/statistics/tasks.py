"""The monthly release as a beat task: takes no arguments, safe to run twice."""

from celery import shared_task

from applications.statistics.services import release_publish_due


@shared_task(name="statistics.release_publish", ignore_result=True)
def statistics_release_publish() -> str:
    """Publish last month's figures once (``release_publish_due``)."""
    return "published" if release_publish_due() else "exists"
