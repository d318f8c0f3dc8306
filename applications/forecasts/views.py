"""Staff pages: forecasts of submissions (tables with their backtest error and a summary) and
the scenario form. Gated by ``access.forecasts_gate``; reads only, nothing is written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.casework.quotas import quota_year
from applications.forecasts.access import forecasts_gate
from applications.forecasts.display import forecast_summary, number_display
from applications.forecasts.forms import ForecastFilterForm, ScenarioForm
from applications.forecasts.scenarios import scenario_compute
from applications.forecasts.selectors import latest_run, run_forecasts


@login_required
@require_GET
def forecasts(request: HttpRequest) -> HttpResponse:
    """The latest run's series, filtered by product and region, each as a table."""
    forecasts_gate(request.user)
    form = ForecastFilterForm(request.GET or None)
    product = region = ""
    if form.is_bound and form.is_valid():
        product, region = form.cleaned_data["product"], form.cleaned_data["region"]
    run = latest_run()
    series = []
    if run is not None:
        for forecast in run_forecasts(run, product=product, region=region):
            points = list(forecast.points.all())
            series.append(
                {
                    "forecast": forecast,
                    "summary": forecast_summary(forecast, points),
                    "mape": number_display(forecast.mape, 1) if forecast.mape is not None else None,
                    "smape": number_display(forecast.smape, 1) if forecast.smape is not None else None,
                    "rows": [
                        {
                            "week": p.week_start,
                            "value": number_display(p.value, 1),
                            "lower": number_display(p.lower, 1),
                            "upper": number_display(p.upper, 1),
                        }
                        for p in points
                    ],
                }
            )
    return render(
        request,
        "forecasts/forecasts.html",
        {
            "form": form,
            "run": run,
            "series": series,
            "duration": number_display(run.duration_seconds, 1) if run else "",
        },
    )


@login_required
@require_GET
def scenario(request: HttpRequest) -> HttpResponse:
    """Pass mark and quota changes against the baseline: cards expected, run-out dates."""
    forecasts_gate(request.user)
    form = ScenarioForm(request.GET or None, year=quota_year())
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = scenario_compute(
            product=data["product"],
            year=data["year"],
            pass_mark=data["pass_mark"],
            quota_change_percent=data["quota_change_percent"],
            quota_id=data["quota"],
        )
    context = {"form": form, "result": result}
    if result is not None:
        context.update(
            submissions=number_display(result.submissions_expected),
            cards_baseline=number_display(result.cards_baseline),
            cards_scenario=number_display(result.cards_scenario),
            pass_rate_now=_percent(result.passing_now, result.pool),
            pass_rate_scenario=_percent(result.passing_scenario, result.pool),
            quota_rows=[
                {
                    "quota": line.quota,
                    "scope": line.quota.get_sector_display() if line.quota.sector else str(line.quota.region),
                    "places_now": number_display(line.places_now),
                    "places_scenario": number_display(line.places_scenario),
                    "used": number_display(line.quota.used),
                    "issued_baseline": number_display(line.baseline.issued),
                    "issued_scenario": number_display(line.scenario.issued),
                    "runs_out_baseline": line.baseline.runs_out_on,
                    "runs_out_scenario": line.scenario.runs_out_on,
                }
                for line in result.quotas
            ],
        )
    return render(request, "forecasts/scenario.html", context)


def _percent(part: int, whole: int) -> str:
    return number_display(100 * part / whole, 1) if whole else "—"
