"""Fitting one series: the level and season recovered, intervals that hold the truth, the
backtest scored on held-out weeks only, and short or empty series refused politely."""

import datetime

import numpy as np
import pytest

from applications.forecasts import fitting

MONDAY = datetime.date(2023, 1, 2)


def _seasonal(weeks: int, *, seed: int = 7, level: float = 50.0, amplitude: float = 15.0, noise: float = 4.0):
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    truth = level + amplitude * np.sin(2 * np.pi * t / 52)
    return truth, np.maximum(truth + rng.normal(0, noise, weeks), 0)


def test_a_seasonal_series_forecast_follows_the_true_level_and_season():
    truth, observed = _seasonal(156 + 26)
    result = fitting.forecast_series(observed[:156], MONDAY)

    assert result.status == fitting.FITTED
    assert result.model_spec == "ETS(A,Ad,A)"
    forecast = np.array([p.forecast for p in result.points])
    expected = truth[156:]
    # Within 10% of the level on average, and the mean over the horizon close to the truth's.
    assert np.mean(np.abs(forecast - expected)) < 5.0
    assert abs(forecast.mean() - expected.mean()) < 5.0
    assert [p.week_start for p in result.points][:2] == [
        MONDAY + datetime.timedelta(weeks=156),
        MONDAY + datetime.timedelta(weeks=157),
    ]


def test_the_prediction_intervals_contain_most_of_the_true_weeks():
    hits = total = 0
    for seed in range(4):
        _truth, observed = _seasonal(156 + 26, seed=seed)
        result = fitting.forecast_series(observed[:156], MONDAY)
        future = observed[156:]
        hits += sum(p.lower <= y <= p.upper for p, y in zip(result.points, future, strict=True))
        total += len(future)
        assert all(p.lower <= p.forecast <= p.upper for p in result.points)
    # 95% intervals, but ETS intervals ignore the uncertainty of the estimated parameters and
    # of the heuristic initial season, so they run a little narrow (about 85% here).
    assert hits / total >= 0.8


def test_a_shorter_series_gets_the_non_seasonal_model():
    _truth, observed = _seasonal(60)
    result = fitting.forecast_series(observed, MONDAY)
    assert result.status == fitting.FITTED
    assert result.model_spec == "ETS(A,Ad,N)"
    assert len(result.points) == fitting.HORIZON_WEEKS


def test_the_backtest_is_scored_on_the_held_out_weeks_only(monkeypatch):
    _truth, observed = _seasonal(80)
    seen = {}
    real = fitting._fit_predict

    def spy(counts, first_week, steps, level):
        seen.setdefault("calls", []).append((len(counts), steps))
        return real(counts, first_week, steps, level)

    monkeypatch.setattr(fitting, "_fit_predict", spy)
    result = fitting.forecast_series(observed, MONDAY)

    # The backtest fit never saw the last 13 weeks; the final fit sees them all.
    assert seen["calls"] == [(80 - fitting.HOLDOUT_WEEKS, fitting.HOLDOUT_WEEKS), (80, fitting.HORIZON_WEEKS)]
    train_only = real(observed[:-13], MONDAY, 13, fitting.INTERVAL_LEVEL)[1]
    assert result.backtest == fitting.backtest_errors(observed[-13:], train_only)


def test_backtest_errors_leave_zero_weeks_out_of_the_mape():
    errors = fitting.backtest_errors([0, 10, 20, 0], [2, 12, 15, 0])
    assert errors.mape == pytest.approx((2 / 10 + 5 / 20) / 2 * 100)
    # sMAPE counts every week: 0 vs 2 is the worst case (200%), 0 vs 0 a perfect week.
    assert errors.smape == pytest.approx((200 + 2 * 2 / 22 * 100 + 2 * 5 / 35 * 100 + 0) / 4)
    assert errors.mae == pytest.approx((2 + 2 + 5 + 0) / 4)
    assert fitting.backtest_errors([0, 0], [1, 0]).mape is None


@pytest.mark.parametrize(
    "counts",
    [
        [],
        [5] * 10,
        [0] * 200,
        [0] * 195 + [1, 0, 2, 0, 1],  # five weeks with any submission
        [3, 4, 5] * 9,  # 27 weeks
    ],
)
def test_too_short_or_empty_series_say_not_enough_history(counts):
    result = fitting.forecast_series(counts, MONDAY)
    assert result.status == fitting.NOT_ENOUGH_HISTORY
    assert result.points == []
    assert result.history_weeks == len(counts)
    assert result.history_total == sum(counts)


def test_a_constant_series_is_fitted_without_an_error():
    result = fitting.forecast_series([4] * 40, MONDAY)
    assert result.status == fitting.FITTED
    assert all(abs(p.forecast - 4) < 0.5 for p in result.points)
    assert result.backtest.mape == pytest.approx(0, abs=5)
