"""Fitting one weekly series and backtesting it: plain Python over lists, no ORM.

The maths is statsmodels' state-space exponential smoothing (``ETSModel``, Hyndman et al.,
"Forecasting with Exponential Smoothing", 2008): additive errors, a damped additive trend,
and an additive 52-week season once two full years of training data exist (the heuristic
initialisation needs two seasons). Prediction intervals are the model's analytic ones.
Nothing here is hand-rolled: this module chooses the model, feeds it, and scores the
backtest (see docs/forecasts.md).
"""

from __future__ import annotations

import datetime
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

HORIZON_WEEKS = 26
# Held-out weeks of the backtest: one quarter, long enough to see a trend go wrong.
HOLDOUT_WEEKS = 13
# Below this many weeks (holdout included) there is too little left to fit and to test.
MIN_HISTORY_WEEKS = 30
# A series with fewer weeks that had any submission has nothing to learn from.
MIN_NONZERO_WEEKS = 6
SEASON_WEEKS = 52
INTERVAL_LEVEL = 95

FITTED = "fitted"
NOT_ENOUGH_HISTORY = "not_enough_history"


@dataclass(frozen=True)
class Backtest:
    weeks: int
    # Mean absolute percentage error over the held-out weeks with at least one submission
    # (a week with none has no percentage error); None when every held-out week was zero.
    mape: float | None
    # Symmetric MAPE over every held-out week (0/0 counts as a perfect week).
    smape: float
    mae: float


@dataclass(frozen=True)
class ForecastPoint:
    week_start: datetime.date
    forecast: float
    lower: float
    upper: float


@dataclass(frozen=True)
class SeriesForecast:
    status: str
    model_spec: str = ""
    history_weeks: int = 0
    history_total: int = 0
    backtest: Backtest | None = None
    points: list[ForecastPoint] = field(default_factory=list)


def model_spec(train_weeks: int) -> str:
    """The ETS model a training series of this length gets (named as in Hyndman's taxonomy)."""
    return "ETS(A,Ad,A)" if train_weeks >= 2 * SEASON_WEEKS else "ETS(A,Ad,N)"


def has_enough_history(counts: Sequence[float]) -> bool:
    return len(counts) >= MIN_HISTORY_WEEKS and sum(1 for c in counts if c > 0) >= MIN_NONZERO_WEEKS


def _fit_predict(
    counts: Sequence[float], first_week: datetime.date, steps: int, level: int
) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    # Imported here: statsmodels and pandas take about a second to import, and every process
    # that loads the Celery tasks (web workers too) would pay it; only the refit needs them.
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    spec = model_spec(len(counts))
    index = pd.date_range(pd.Timestamp(first_week), periods=len(counts), freq="W-MON")
    y = pd.Series(np.asarray(counts, dtype=float), index=index)
    kwargs: dict = {"error": "add", "trend": "add", "damped_trend": True}
    if spec == "ETS(A,Ad,A)":
        kwargs.update(seasonal="add", seasonal_periods=SEASON_WEEKS, initialization_method="heuristic")
    with warnings.catch_warnings():
        # Convergence chatter from the optimiser on flat or tiny series; the fit is still used
        # and the backtest reports how good it is.
        warnings.simplefilter("ignore")
        result = ETSModel(y, **kwargs).fit(disp=False)
        frame = result.get_prediction(start=len(y), end=len(y) + steps - 1).summary_frame(alpha=1 - level / 100)
    # Submissions are counts: a negative forecast or bound means "none".
    mean = np.clip(frame["mean"].to_numpy(), 0, None)
    lower = np.clip(frame["pi_lower"].to_numpy(), 0, None)
    upper = np.clip(frame["pi_upper"].to_numpy(), 0, None)
    return spec, mean, lower, upper


def backtest_errors(actual: Sequence[float], predicted: Sequence[float]) -> Backtest:
    """Errors of ``predicted`` against the held-out ``actual`` weeks (same length)."""
    a = np.asarray(actual, dtype=float)
    p = np.asarray(predicted, dtype=float)
    nonzero = a > 0
    mape = float(np.mean(np.abs(a[nonzero] - p[nonzero]) / a[nonzero]) * 100) if nonzero.any() else None
    denom = np.abs(a) + np.abs(p)
    ratios = np.divide(2 * np.abs(a - p), denom, out=np.zeros_like(a), where=denom > 0)
    return Backtest(weeks=len(a), mape=mape, smape=float(np.mean(ratios) * 100), mae=float(np.mean(np.abs(a - p))))


def forecast_series(
    counts: Sequence[float],
    first_week: datetime.date,
    *,
    horizon: int = HORIZON_WEEKS,
    holdout: int = HOLDOUT_WEEKS,
    level: int = INTERVAL_LEVEL,
) -> SeriesForecast:
    """Backtest on the last ``holdout`` weeks, then refit on all and forecast ``horizon`` weeks.

    ``counts`` are weekly submissions from the Monday ``first_week``, oldest first, complete
    weeks only. Too short or almost empty series get ``NOT_ENOUGH_HISTORY``, never an error.
    """
    counts = [float(c) for c in counts]
    total = int(round(sum(counts)))
    if not has_enough_history(counts) or any(not math.isfinite(c) for c in counts):
        return SeriesForecast(status=NOT_ENOUGH_HISTORY, history_weeks=len(counts), history_total=total)
    train = counts[:-holdout]
    _spec, predicted, _lo, _hi = _fit_predict(train, first_week, holdout, level)
    backtest = backtest_errors(counts[-holdout:], predicted.tolist())
    spec, mean, lower, upper = _fit_predict(counts, first_week, horizon, level)
    start = first_week + datetime.timedelta(weeks=len(counts))
    points = [
        ForecastPoint(
            week_start=start + datetime.timedelta(weeks=i),
            forecast=float(mean[i]),
            lower=float(lower[i]),
            upper=float(upper[i]),
        )
        for i in range(horizon)
    ]
    return SeriesForecast(
        status=FITTED,
        model_spec=spec,
        history_weeks=len(counts),
        history_total=total,
        backtest=backtest,
        points=points,
    )
