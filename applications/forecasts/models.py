"""Forecast runs: each refit is kept, with every series' model, backtest error and points."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product


class ForecastRun(models.Model):
    """One refit of every series (``applications.forecasts.services.forecasts_refit``)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    duration_seconds = models.FloatField(_("duration in seconds"))
    # Series end before this Monday: the week in progress is never fitted.
    history_end = models.DateField(_("history ends before"))
    horizon_weeks = models.PositiveSmallIntegerField(_("horizon in weeks"))
    holdout_weeks = models.PositiveSmallIntegerField(_("backtest weeks"))
    interval_level = models.PositiveSmallIntegerField(_("prediction interval, per cent"))
    series_count = models.PositiveIntegerField(_("series"))
    fitted_count = models.PositiveIntegerField(_("series fitted"))
    # Synthetic weeks from the demo generator were part of the history (never in production).
    includes_demo_history = models.BooleanField(_("includes synthetic demo history"), default=False)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("triggered by"),
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")

    def __str__(self) -> str:
        return f"forecast run {self.pk} ({self.started_at:%Y-%m-%d})"


class Forecast(models.Model):
    """One series of one run: submissions of a product in a region (or nationally)."""

    class Status(models.TextChoices):
        FITTED = "fitted", _("Forecast")
        NOT_ENOUGH_HISTORY = "not_enough_history", _("Not enough history")

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="forecasts")
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    # Null: the whole country.
    region = models.ForeignKey(
        "eligibility.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    model_spec = models.CharField(_("model"), max_length=40, blank=True)
    history_weeks = models.PositiveIntegerField(_("weeks of history"))
    history_total = models.PositiveIntegerField(_("submissions in the history"))
    backtest_weeks = models.PositiveSmallIntegerField(_("backtest weeks"), default=0)
    # MAPE over held-out weeks with submissions; null when all held-out weeks were zero.
    mape = models.FloatField(_("MAPE, per cent"), null=True, blank=True)
    smape = models.FloatField(_("sMAPE, per cent"), null=True, blank=True)
    mae = models.FloatField(_("mean absolute error"), null=True, blank=True)
    forecast_total = models.FloatField(_("submissions expected over the horizon"), default=0)

    class Meta:
        ordering = ["run", "product", "region"]
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(fields=["run", "product", "region"], name="forecast_series_unique"),
            models.UniqueConstraint(
                fields=["run", "product"], condition=models.Q(region__isnull=True), name="forecast_national_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.region_id or 'national'} (run {self.run_id})"


class ForecastPoint(models.Model):
    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="points")
    week_start = models.DateField(_("week starting"))
    value = models.FloatField(_("forecast"))
    lower = models.FloatField(_("lower bound"))
    upper = models.FloatField(_("upper bound"))

    class Meta:
        ordering = ["forecast", "week_start"]
        verbose_name = _("forecast week")
        verbose_name_plural = _("forecast weeks")
        constraints = [models.UniqueConstraint(fields=["forecast", "week_start"], name="forecast_point_unique")]

    def __str__(self) -> str:
        return f"{self.week_start}: {self.value:.1f} [{self.lower:.1f}, {self.upper:.1f}]"


class DemoWeeklySubmissions(models.Model):
    """SYNTHETIC demo history, not real submissions: written only by ``forecast_demo_history``
    (``make run``), so a fresh demo has enough weeks to forecast. A run that read any of it
    says so on every page."""

    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    region = models.ForeignKey("eligibility.Region", on_delete=models.CASCADE, verbose_name=_("region"))
    week_start = models.DateField(_("week starting"))
    count = models.PositiveIntegerField(_("synthetic submissions"))

    class Meta:
        verbose_name = _("synthetic demo week")
        verbose_name_plural = _("synthetic demo weeks")
        constraints = [
            models.UniqueConstraint(fields=["product", "region", "week_start"], name="demo_week_unique"),
        ]

    def __str__(self) -> str:
        return f"SYNTHETIC {self.product} {self.region_id} {self.week_start}: {self.count}"
