"""Refitting every series: the GROUP BY, the stored run, the command, the beat task, the demo."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from applications.forecasts import fitting
from applications.forecasts.models import DemoWeeklySubmissions, Forecast, ForecastPoint, ForecastRun
from applications.forecasts.series import current_week, submission_rows, weekly_series
from applications.forecasts.services import demo_history_generate, forecasts_refit
from applications.forecasts.tasks import forecasts_refit_task
from eligibility.models import Region
from portal.audit.models import AuditEvent
from tests.applications.forecasts.helpers import weekly_history

pytestmark = pytest.mark.django_db


def test_weekly_series_fill_missing_weeks_with_zeros_and_add_up_nationally():
    monday = datetime.date(2026, 1, 5)
    rows = [
        (monday, "p", "A", 2),
        (monday + datetime.timedelta(weeks=2), "p", "B", 3),
        (monday + datetime.timedelta(weeks=2, days=3), "p", "B", 1),  # any day: its week
        (monday + datetime.timedelta(weeks=3), "p", "A", 9),  # the week in progress: left out
    ]
    series = weekly_series(rows, end_week=monday + datetime.timedelta(weeks=3), products=["p", "q"], regions=["A", "B"])
    assert series[("p", None)].counts == [2, 0, 4]
    assert series[("p", "A")].counts == [2, 0, 0]
    assert series[("p", "B")].counts == [0, 0, 4]
    assert series[("p", "B")].first_week == monday
    assert series[("q", None)].counts == []


def test_submissions_are_counted_per_week_product_and_region(applicant):
    weekly_history(applicant, weeks=3, per_week=lambda i: i + 1)
    rows = sorted(submission_rows(current_week()))
    assert [(r[1], r[2], r[3]) for r in rows] == [("skills_visa", "KZ-55", n) for n in (1, 2, 3)]
    assert all(r[0].weekday() == 0 for r in rows)


def test_a_refit_stores_every_series_with_its_backtest_points_and_an_audit_row(applicant):
    weekly_history(applicant, weeks=40, per_week=lambda i: 1 + i % 3)
    run = forecasts_refit()

    regions = Region.objects.count()
    assert run.series_count == 2 * (regions + 1)
    fitted = Forecast.objects.filter(run=run, status=Forecast.Status.FITTED)
    assert {(f.product, f.region_id) for f in fitted} == {("skills_visa", None), ("skills_visa", "KZ-55")}
    national = fitted.get(region=None)
    assert national.history_weeks == 40
    assert national.history_total == sum(1 + i % 3 for i in range(40))
    assert national.backtest_weeks == fitting.HOLDOUT_WEEKS
    assert national.mape is not None and national.smape is not None
    points = list(ForecastPoint.objects.filter(forecast=national))
    assert len(points) == fitting.HORIZON_WEEKS
    assert points[0].week_start == current_week()
    assert all(p.lower <= p.value <= p.upper for p in points)
    assert national.forecast_total == pytest.approx(sum(p.value for p in points))
    # Every other series is a clear "not enough history", not an error.
    others = Forecast.objects.filter(run=run).exclude(pk__in=fitted)
    assert others.count() == run.series_count - 2
    assert not others.exclude(status=Forecast.Status.NOT_ENOUGH_HISTORY).exists()
    assert not ForecastPoint.objects.filter(forecast__in=others).exists()
    assert not run.includes_demo_history
    assert AuditEvent.objects.filter(action="forecasts.refit", object_id=str(run.pk)).exists()


def test_with_no_submissions_at_all_every_series_lacks_history():
    run = forecasts_refit()
    assert run.fitted_count == 0
    assert not Forecast.objects.filter(run=run).exclude(status=Forecast.Status.NOT_ENOUGH_HISTORY).exists()


def test_the_command_and_the_beat_task_call_the_same_refit(capsys):
    call_command("refit_forecasts")
    assert "series fitted in" in capsys.readouterr().out
    forecasts_refit_task()
    assert ForecastRun.objects.count() == 2


def test_demo_history_is_synthetic_flagged_and_only_before_the_real_weeks(applicant):
    weekly_history(applicant, weeks=2)
    written = demo_history_generate(weeks=60, seed=1)
    assert written == DemoWeeklySubmissions.objects.count() == 60 * 2 * Region.objects.count()
    run = forecasts_refit()
    assert run.includes_demo_history
    assert run.fitted_count == run.series_count
    national = Forecast.objects.get(run=run, product="skills_visa", region=None)
    # Demo weeks stop before the first real week: the real weeks are not counted twice.
    first_real = current_week() - datetime.timedelta(weeks=2)
    demo_before = sum(
        DemoWeeklySubmissions.objects.filter(product="skills_visa", week_start__lt=first_real).values_list(
            "count", flat=True
        )
    )
    assert national.history_total == demo_before + 2


def test_demo_history_command_refuses_outside_a_demo_and_keeps_existing_weeks_with_if_empty(settings):
    settings.DEBUG = settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("forecast_demo_history", "--weeks", "5")
    assert not DemoWeeklySubmissions.objects.exists()
    settings.DEMO_MODE = True
    call_command("forecast_demo_history", "--weeks", "5")
    call_command("forecast_demo_history", "--weeks", "8", "--if-empty")
    assert DemoWeeklySubmissions.objects.values("week_start").distinct().count() == 5


def test_the_beat_schedule_refits_every_week(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["forecasts-refit"]
    assert entry["schedule"] == 7 * 24 * 3600
    assert entry["task"] in app.tasks
