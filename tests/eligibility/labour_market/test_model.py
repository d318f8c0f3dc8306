"""The shortage model as a table of inputs and outcomes (no database), and the planted
shortages of the synthetic data coming out on top."""

import csv
import io

import pytest

from eligibility.labour_market.model import Observation, Weights, percentile_ranks, shortage_rows
from eligibility.labour_market.synthetic import PLANTED_NATIONAL, PLANTED_REGIONAL, synthetic_csv
from tests.eligibility.labour_market.helpers import OCCUPATIONS


def _obs(code, region, year, vacancies, long_open, seekers, employment, wage):
    return Observation(code, region, year, vacancies, long_open, seekers, employment, wage)


def test_percentile_ranks_are_mid_ranks_with_ties_shared():
    assert percentile_ranks([1.0, 2.0, 3.0, 4.0]) == [0.125, 0.375, 0.625, 0.875]
    assert percentile_ranks([5.0, 5.0]) == [0.5, 0.5]


def test_indicators_are_computed_from_the_counts():
    rows = shortage_rows(
        [
            _obs("2221", "KZ-10", 2024, 100, 10, 100, 1000, 100_000),
            _obs("2221", "KZ-10", 2025, 200, 50, 100, 1100, 120_000),
            _obs("9111", "KZ-10", 2024, 100, 10, 200, 1000, 100_000),
            _obs("9111", "KZ-10", 2025, 100, 10, 200, 1000, 110_000),
        ],
        year=2025,
        weights=Weights(min_vacancies=1),
    )
    national = {r.occupation: r for r in rows if r.region is None}
    nurse = national["2221"].indicators
    assert nurse["vacancy_ratio"] == 2.0
    assert nurse["long_open_share"] == 0.25
    assert nurse["wage_growth"] == pytest.approx(0.20)
    assert nurse["wage_growth_median"] == pytest.approx(0.15)  # median of +20% and +10%
    assert nurse["wage_growth_gap"] == pytest.approx(0.05)
    assert nurse["employment_growth"] == pytest.approx(0.10)
    assert national["2221"].score > national["9111"].score
    assert national["2221"].parts == {
        "vacancy_ratio": 0.75,
        "long_open_share": 0.75,
        "wage_growth_gap": 0.75,
        "employment_growth": 0.75,
    }


@pytest.mark.parametrize(
    ("score", "priority"), [(0.9, 1), (0.85, 1), (0.8, 2), (0.7, 3), (0.65, 3), (0.6, None), (None, None)]
)
def test_cut_offs_turn_a_score_into_a_priority(score, priority):
    assert Weights().priority(score) == priority


def test_a_zero_weight_leaves_its_indicator_out():
    data = [
        _obs("2221", "KZ-10", 2024, 100, 90, 10, 1000, 100_000),
        _obs("2221", "KZ-10", 2025, 100, 90, 10, 1000, 100_000),
        _obs("9111", "KZ-10", 2024, 100, 0, 1000, 1000, 100_000),
        _obs("9111", "KZ-10", 2025, 100, 0, 1000, 1000, 100_000),
    ]
    only_ratio = Weights(long_open_share=0, wage_growth_gap=0, employment_growth=0, min_vacancies=1)
    rows = {r.occupation: r for r in shortage_rows(data, year=2025, weights=only_ratio) if r.region is None}
    assert rows["2221"].score == 0.75 and rows["9111"].score == 0.25


def test_too_few_vacancies_get_a_score_but_no_priority():
    data = [_obs("2221", "KZ-10", y, 5, 5, 0, 10, 100_000) for y in (2024, 2025)]
    (national, _regional) = shortage_rows(data, year=2025, weights=Weights(min_vacancies=30, priority_1_from=0))
    assert national.score is not None and national.priority is None and national.too_few_vacancies


def test_hostile_counts_do_not_break_the_model():
    data = [_obs("2221", "KZ-10", y, 0, 0, 0, 0, 0) for y in (2024, 2025)]
    rows = shortage_rows(data, year=2025, weights=Weights())
    assert all(r.indicators["vacancy_ratio"] == 0 for r in rows)
    assert all(r.indicators["employment_growth"] is None for r in rows)


def _synthetic(seed: int) -> list[Observation]:
    data = synthetic_csv(OCCUPATIONS, seed=seed, years=3, end_year=2025).decode()
    return [
        Observation(r["isco_code"], r["region"], int(r["period"]), *(int(r[c]) for c in list(r)[3:]))
        for r in csv.DictReader(io.StringIO(data))
    ]


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_the_planted_national_shortages_come_out_on_top(seed):
    rows = shortage_rows(_synthetic(seed), year=2025, weights=Weights())
    national = [r for r in rows if r.region is None]
    top = {r.occupation for r in national[: len(PLANTED_NATIONAL)]}
    assert top == set(PLANTED_NATIONAL)
    assert all(r.priority == 1 for r in national if r.occupation in PLANTED_NATIONAL)
    # And the model is not just rating everything: most occupations get no priority.
    assert sum(r.priority is not None for r in national) < len(national) / 4


@pytest.mark.parametrize("seed", [1, 7])
def test_the_planted_regional_shortages_top_their_region_but_not_the_country(seed):
    rows = shortage_rows(_synthetic(seed), year=2025, weights=Weights())
    national = {r.occupation: r for r in rows if r.region is None}
    for code, region in PLANTED_REGIONAL:
        in_region = [r for r in rows if r.region == region]
        top = {r.occupation for r in in_region[: len(PLANTED_NATIONAL) + 1]}
        assert code in top
        assert next(r for r in in_region if r.occupation == code).priority == 1
        assert national[code].priority != 1
