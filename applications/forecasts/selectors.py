"""Reads for the forecast pages: the latest run and its series, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from applications.forecasts.models import Forecast, ForecastPoint, ForecastRun


def latest_run() -> ForecastRun | None:
    return ForecastRun.objects.first()


def run_forecasts(run: ForecastRun, *, product: str = "", region: str = "") -> QuerySet[Forecast]:
    """The run's series, filtered; ``region`` "" is the whole country, "*" every region."""
    qs = Forecast.objects.filter(run=run).select_related("region")
    if product:
        qs = qs.filter(product=product)
    if region == "*":
        qs = qs.filter(region__isnull=False)
    elif region:
        qs = qs.filter(region_id=region)
    else:
        qs = qs.filter(region__isnull=True)
    return qs.order_by("product", "region_id").prefetch_related(
        Prefetch("points", queryset=ForecastPoint.objects.order_by("week_start"))
    )
