"""Numbers and one-sentence summaries of forecasts, in the page language (Babel's CLDR data)."""

from __future__ import annotations

from babel.numbers import format_decimal
from django.utils.translation import gettext as _

from applications.forecasts.models import Forecast
from portal.display import babel_locale, date_display


def number_display(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(round(value, decimals), format=pattern, locale=babel_locale())


def forecast_summary(forecast: Forecast, points: list) -> str:
    """One sentence a reader can take away (the text alternative of the table)."""
    if forecast.status != Forecast.Status.FITTED or not points:
        return _(
            "Not enough history to forecast: %(weeks)s weeks with %(total)s submissions; at least 30 weeks "
            "with submissions in 6 of them are needed."
        ) % {"weeks": number_display(forecast.history_weeks), "total": number_display(forecast.history_total)}
    values = {
        "total": number_display(forecast.forecast_total),
        "weeks": number_display(len(points)),
        "first": date_display(points[0].week_start),
        "low": number_display(min(p.lower for p in points)),
        "high": number_display(max(p.upper for p in points)),
    }
    if forecast.mape is None:
        return (
            _(
                "About %(total)s submissions are expected in the %(weeks)s weeks from %(first)s; a single week "
                "should fall between %(low)s and %(high)s. The held-out weeks had no submissions, so no "
                "percentage error could be measured."
            )
            % values
        )
    values["mape"] = number_display(forecast.mape, 1)
    return (
        _(
            "About %(total)s submissions are expected in the %(weeks)s weeks from %(first)s; a single week "
            "should fall between %(low)s and %(high)s. On held-out past weeks the forecast was off by "
            "%(mape)s%% on average."
        )
        % values
    )
