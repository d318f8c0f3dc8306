"""Refitting every forecast series (management command ``refit_forecasts`` and the weekly
beat task ``forecasts.refit`` both call ``forecasts_refit``) and the demo history."""

from __future__ import annotations

import datetime
import math
import time
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from applications.forecasts import fitting
from applications.forecasts.models import DemoWeeklySubmissions, Forecast, ForecastPoint, ForecastRun
from applications.forecasts.series import current_week, demo_rows, submission_rows, weekly_series
from eligibility.models import Region
from eligibility.products import Product
from portal.audit.record import audit_record


def forecasts_refit(*, actor: Any = None, now: datetime.datetime | None = None) -> ForecastRun:
    """Build every weekly series (each product nationally and in each region), backtest and fit
    each, and store the run with its points; audited. Earlier runs are kept."""
    started = time.perf_counter()
    started_at = timezone.now()
    end_week = current_week(now)
    rows = submission_rows(end_week)
    first_real = min((r[0] for r in rows), default=end_week)
    demo = demo_rows(before=first_real)
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    products = [p.value for p in Product]
    series = weekly_series([*demo, *rows], end_week=end_week, products=products, regions=regions)
    results = {key: fitting.forecast_series(s.counts, s.first_week) for key, s in series.items()}
    with transaction.atomic():
        run = ForecastRun.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            duration_seconds=0,
            history_end=end_week,
            horizon_weeks=fitting.HORIZON_WEEKS,
            holdout_weeks=fitting.HOLDOUT_WEEKS,
            interval_level=fitting.INTERVAL_LEVEL,
            series_count=len(results),
            fitted_count=sum(r.status == fitting.FITTED for r in results.values()),
            includes_demo_history=bool(demo),
            triggered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        forecasts = Forecast.objects.bulk_create(
            [
                Forecast(
                    run=run,
                    product=product,
                    region_id=region,
                    status=result.status,
                    model_spec=result.model_spec,
                    history_weeks=result.history_weeks,
                    history_total=result.history_total,
                    backtest_weeks=result.backtest.weeks if result.backtest else 0,
                    mape=result.backtest.mape if result.backtest else None,
                    smape=result.backtest.smape if result.backtest else None,
                    mae=result.backtest.mae if result.backtest else None,
                    forecast_total=sum(p.forecast for p in result.points),
                )
                for (product, region), result in results.items()
            ]
        )
        ForecastPoint.objects.bulk_create(
            [
                ForecastPoint(forecast=f, week_start=p.week_start, value=p.forecast, lower=p.lower, upper=p.upper)
                for f, result in zip(forecasts, results.values(), strict=True)
                for p in result.points
            ],
            batch_size=2000,
        )
        run.duration_seconds = time.perf_counter() - started
        run.finished_at = timezone.now()
        run.save(update_fields=["duration_seconds", "finished_at"])
        audit_record(
            actor=actor,
            action="forecasts.refit",
            obj=run,
            snapshot={
                "series": run.series_count,
                "fitted": run.fitted_count,
                "history_end": end_week.isoformat(),
                "demo_history": run.includes_demo_history,
                "seconds": round(run.duration_seconds, 2),
            },
        )
    return run


def demo_history_generate(*, weeks: int = 156, seed: int = 2026, now: datetime.datetime | None = None) -> int:
    """Write SYNTHETIC weekly submissions for the demo (``make run``): ``weeks`` weeks before the
    week in progress, per product x region, with a level per region, a slow trend, a yearly
    season (a spring peak) and Poisson noise. Replaces earlier demo weeks; returns rows written.
    Never called outside the demo: the runs that read these rows are flagged on every page."""
    rng = np.random.default_rng(seed)
    end_week = current_week(now)
    start = end_week - datetime.timedelta(weeks=weeks)
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    objs = []
    for rank, product in enumerate(Product):
        scale = 1.0 / (rank + 1)
        for region in regions:
            level = float(rng.uniform(1.5, 12.0)) * scale
            for i in range(weeks):
                week = start + datetime.timedelta(weeks=i)
                season = 1 + 0.35 * math.sin(2 * math.pi * (week.timetuple().tm_yday - 60) / 365.25)
                mean = level * season * (1 + 0.15 * i / weeks)
                objs.append(
                    DemoWeeklySubmissions(
                        product=product, region_id=region, week_start=week, count=int(rng.poisson(mean))
                    )
                )
    with transaction.atomic():
        DemoWeeklySubmissions.objects.all().delete()
        DemoWeeklySubmissions.objects.bulk_create(objs, batch_size=2000)
    return len(objs)
