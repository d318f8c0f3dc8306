"""The quota proposal's formula, as a table of inputs and places (no database)."""

import pytest

from eligibility.labour_market.quota_proposals import (
    QuotaInputs,
    QuotaSettings,
    VacancyRow,
    propose,
    quota_places,
    unfilled_vacancies,
)

SETTINGS = QuotaSettings()


def _propose(rows=(), uptake=None, quotas_now=None, rated=frozenset()):
    results = propose(
        vacancy_rows=rows,
        uptake=uptake or {},
        quotas_now=quotas_now or {},
        sector_of=lambda code: "healthcare" if code.startswith("22") else "education",
        rated=set(rated),
        settings=SETTINGS,
    )
    return {(r.inputs.sector, r.inputs.region): r for r in results}


@pytest.mark.parametrize(
    ("posted", "long_open", "seekers", "unfilled"),
    [
        (1000, 600, 150, 600),  # a shortage: far more vacancies than seekers, most open long
        (1000, 600, 700, 300),  # only the vacancies beyond the local seekers count
        (1000, 200, 2500, 0),  # more seekers than vacancies: nothing unfilled
        (0, 0, 0, 0),
    ],
)
def test_unfilled_vacancies_are_long_open_ones_beyond_the_local_job_seekers(posted, long_open, seekers, unfilled):
    assert unfilled_vacancies(posted=posted, long_open=long_open, job_seekers=seekers) == unfilled


def test_a_planted_shortage_in_a_region_gets_more_places_than_the_same_sector_elsewhere():
    rows = [
        VacancyRow("2221", "KZ-63", 3000, 1800, 450),  # nurses short in East Kazakhstan
        VacancyRow("2221", "KZ-11", 3000, 500, 4000),  # enough nurses in Akmola
        VacancyRow("2341", "KZ-63", 800, 100, 1500),
    ]
    uptake = {("healthcare", "KZ-63"): {"approved": 10}, ("healthcare", "KZ-11"): {"approved": 10}}
    result = _propose(rows, uptake, rated={"2221"})
    east, akmola = result[("healthcare", "KZ-63")], result[("healthcare", "KZ-11")]
    assert east.places > akmola.places
    assert akmola.places == 11  # 10 approvals × 1.1, no unfilled demand
    assert east.places == 11 + 90  # 1,800 unfilled vacancies of a rated occupation × 0.05
    assert east.inputs.top == [("2221", 1800)]
    assert ("education", "KZ-63") not in result  # no demand, no uptake, no quota: no row


def test_a_sector_that_used_its_whole_quota_and_has_a_waiting_list_gets_more():
    uptake = {
        ("education", "KZ-59"): {"approved": 20, "waiting": 15},  # full, 15 waiting
        ("education", "KZ-55"): {"approved": 8, "waiting": 0},  # 8 of 20 used
    }
    quotas_now = {("education", "KZ-59"): (20, 20), ("education", "KZ-55"): (20, 8)}
    result = _propose(uptake=uptake, quotas_now=quotas_now)
    full, half = result[("education", "KZ-59")], result[("education", "KZ-55")]
    assert full.places == 22 + 15 and half.places == 9  # ceil(8 × 1.1) = 9
    assert full.places > 20 > half.places
    assert (full.inputs.places_now, full.inputs.used_now) == (20, 20)


def test_rated_occupations_count_in_full_and_others_at_their_weight():
    rows = [VacancyRow("2221", "KZ-63", 1000, 400, 0), VacancyRow("2211", "KZ-63", 1000, 400, 0)]
    rated_one = _propose(rows, rated={"2221"})[("healthcare", "KZ-63")]
    rated_both = _propose(rows, rated={"2221", "2211"})[("healthcare", "KZ-63")]
    assert (rated_one.inputs.unfilled_rated, rated_one.inputs.unfilled_unrated) == (400, 400)
    assert rated_one.demand == 600 and rated_both.demand == 800
    assert (rated_one.places, rated_both.places) == (30, 40)


@pytest.mark.parametrize(
    ("inputs", "knobs", "places", "capped"),
    [
        (QuotaInputs("it", "KZ-75", approved=10), SETTINGS, 11, False),  # 11.000000000000002 is 11
        (QuotaInputs("it", "KZ-75", approved=1), SETTINGS, 2, False),  # 1.1 rounds up
        (QuotaInputs("it", "KZ-75"), SETTINGS, 0, False),
        (QuotaInputs("it", "KZ-75", waiting=5000), SETTINGS, 1000, True),  # the ceiling
        (QuotaInputs("it", "KZ-75", approved=10, waiting=3), QuotaSettings(uptake_weight=0, ceiling=5), 3, False),
    ],
)
def test_places_are_the_rounded_up_sum_of_the_terms_under_the_ceiling(inputs, knobs, places, capped):
    result = quota_places(inputs, knobs)
    assert (result.places, result.capped) == (places, capped)
    assert set(result.explanation()["terms"]) == {"uptake", "waiting", "demand", "demand_term", "total"}
