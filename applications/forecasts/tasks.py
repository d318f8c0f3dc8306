from celery import shared_task

from applications.forecasts.services import forecasts_refit


@shared_task(name="forecasts.refit")
def forecasts_refit_task() -> int:
    """Weekly refit (beat). Safe to run twice: each run is a new row, the pages read the latest."""
    return forecasts_refit().pk
