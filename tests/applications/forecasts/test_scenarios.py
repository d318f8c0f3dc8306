"""Scenarios: a higher pass mark issues fewer cards, a smaller quota runs out sooner, and the
simulation never gives more places than a quota has."""

import datetime

import pytest

from applications.forecasts.scenarios import QuotaSpec, quota_simulate, scenario_compute
from applications.forecasts.series import current_week
from applications.forecasts.services import forecasts_refit
from eligibility.models import Quota
from tests.applications.forecasts.helpers import weekly_history
from tests.eligibility.db_helpers import seed_set

MONDAY = datetime.date(2027, 1, 4)
WEEKS = [MONDAY + datetime.timedelta(weeks=i) for i in range(10)]


def _weekly(n: float, cells=(("KZ-55", "it"),)):
    return [dict.fromkeys(cells, n) for _ in WEEKS]


def test_a_smaller_quota_runs_out_earlier():
    big = quota_simulate(weeks=WEEKS, backlog={}, weekly=_weekly(10), quotas=[QuotaSpec(1, "", "it", 55)])
    small = quota_simulate(weeks=WEEKS, backlog={}, weekly=_weekly(10), quotas=[QuotaSpec(1, "", "it", 25)])
    assert big.quotas[1].runs_out_on == MONDAY + datetime.timedelta(weeks=5, days=3)  # 5.5 weeks of 10
    assert small.quotas[1].runs_out_on == MONDAY + datetime.timedelta(weeks=2, days=3)
    assert (big.issued, small.issued) == (pytest.approx(55), pytest.approx(25))


def test_a_quota_that_is_never_reached_lasts_the_horizon():
    result = quota_simulate(weeks=WEEKS, backlog={}, weekly=_weekly(1), quotas=[QuotaSpec(1, "KZ-55", "", 100)])
    assert result.quotas[1].runs_out_on is None
    assert result.issued == pytest.approx(10)


def test_the_backlog_counts_in_the_first_week_and_a_full_quota_runs_out_at_once():
    result = quota_simulate(
        weeks=WEEKS, backlog={("KZ-55", "it"): 30}, weekly=_weekly(0), quotas=[QuotaSpec(1, "", "it", 20)]
    )
    assert result.quotas[1].runs_out_on == MONDAY + datetime.timedelta(days=4)
    assert result.issued == pytest.approx(20)
    used_up = quota_simulate(weeks=WEEKS, backlog={}, weekly=_weekly(1), quotas=[QuotaSpec(1, "", "it", 0)])
    assert used_up.quotas[1].runs_out_on == MONDAY
    assert used_up.issued == 0


def test_a_case_needs_a_place_in_every_quota_that_applies_and_none_is_exceeded():
    cells = (("KZ-55", "it"), ("KZ-55", "science"), ("KZ-75", "it"))
    quotas = [QuotaSpec(1, "", "it", 30), QuotaSpec(2, "KZ-55", "", 12), QuotaSpec(3, "", "science", 1000)]
    result = quota_simulate(weeks=WEEKS, backlog={}, weekly=_weekly(2, cells), quotas=quotas)
    assert result.quotas[1].issued <= 30 + 1e-9
    assert result.quotas[2].issued <= 12 + 1e-9
    assert result.quotas[2].runs_out_on is not None
    assert result.quotas[3].runs_out_on is None
    # KZ-75/it is served only by the sector quota: it goes on after the region quota is full.
    assert result.issued > 12


@pytest.fixture
def pool(applicant):
    seed_set("skills_visa")
    return weekly_history(applicant, weeks=40, per_week=lambda i: 2)


@pytest.mark.django_db
def test_a_higher_pass_mark_issues_fewer_cards(pool):
    forecasts_refit()
    year = current_week().year
    Quota.objects.create(product="skills_visa", year=year, sector="it", places=10_000)
    now = scenario_compute(product="skills_visa", year=year)
    stricter = scenario_compute(product="skills_visa", year=year, pass_mark=now.pass_mark_now + 20)

    assert now.has_forecast and now.pool == len(pool)
    assert now.pass_mark_scenario == now.pass_mark_now
    assert 0 < stricter.passing_scenario < now.passing_scenario == now.passing_now
    assert stricter.cards_scenario < stricter.cards_baseline == pytest.approx(now.cards_baseline)
    assert now.cards_scenario == pytest.approx(now.cards_baseline)
    # The baseline's cards: every passing case and the passing share of forecast submissions.
    assert now.cards_baseline >= now.passing_now


@pytest.mark.django_db
def test_a_smaller_quota_runs_out_earlier_in_the_scenario(pool):
    forecasts_refit()
    year = current_week().year
    it = Quota.objects.create(product="skills_visa", year=year, sector="it", places=200, used=180)
    science = Quota.objects.create(product="skills_visa", year=year, sector="science", places=500)
    result = scenario_compute(product="skills_visa", year=year, quota_change_percent=-10, quota_id=it.pk)

    lines = {line.quota.pk: line for line in result.quotas}
    assert (lines[it.pk].places_now, lines[it.pk].places_scenario) == (200, 180)
    assert lines[science.pk].places_scenario == 500  # only the chosen quota changes
    assert lines[it.pk].scenario.runs_out_on is not None
    assert lines[it.pk].baseline.runs_out_on is None or (
        lines[it.pk].scenario.runs_out_on < lines[it.pk].baseline.runs_out_on
    )
    assert lines[it.pk].scenario.issued == 0
    assert result.cards_scenario < result.cards_baseline


@pytest.mark.django_db
def test_without_history_or_criteria_the_scenario_says_so(applicant):
    year = current_week().year
    assert not scenario_compute(product="skills_visa", year=year).has_criteria
    seed_set("skills_visa")
    weekly_history(applicant, weeks=3)
    forecasts_refit()
    result = scenario_compute(product="skills_visa", year=year)
    assert result.has_criteria and not result.has_forecast
    assert result.pool == 3
    assert result.cards_baseline == result.passing_now
