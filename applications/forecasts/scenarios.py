"""Scenarios: "if the pass mark or a quota changes, how many cards are issued and when does
each quota run out".

Built from two things the portal already has:
- the impact preview's pool (``applications.scoring.impact``: the product's undecided cases
  with their facts), scored with the criteria set in force and with the same set at the
  scenario's pass mark: how many pass now and under the scenario, and the pass rate;
- the latest forecast of submissions (``forecasts_refit``): the national weekly forecast of
  the product, spread over regions and sectors by last year's shares of submissions.

Passing cases are taken to be approved (the portal has no separate approval-rate model yet),
the pool in the first week, the forecast week by week; every quota that applies to a case
(its sector's and its region's, as ``casework.quotas.quotas_for``) must have a place. The
simulation (``quota_simulate``) is pure and shared by the baseline and the scenario.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count

from applications.forecasts.models import Forecast, ForecastRun
from applications.models import Application
from applications.scoring.impact import pool_chunks, undecided_pool
from eligibility.definitions import definition_from_set
from eligibility.engine import compile_criteria
from eligibility.engine.result import PASS
from eligibility.models import Quota
from eligibility.services import evaluator_for, published_set, reference_tables

# (region code, sector) of a case; "" when unknown.
Cell = tuple[str, str]
SHARE_WEEKS = 52


@dataclass(frozen=True)
class QuotaSpec:
    key: int
    region: str  # "" for a sector quota
    sector: str  # "" for a region quota
    remaining: float

    def applies_to(self, cell: Cell) -> bool:
        return (bool(self.region) and cell[0] == self.region) or (bool(self.sector) and cell[1] == self.sector)


@dataclass(frozen=True)
class QuotaOutcome:
    key: int
    issued: float
    runs_out_on: datetime.date | None


@dataclass(frozen=True)
class Simulation:
    issued: float
    quotas: dict[int, QuotaOutcome]


def quota_simulate(
    *,
    weeks: Sequence[datetime.date],
    backlog: Mapping[Cell, float],
    weekly: Sequence[Mapping[Cell, float]],
    quotas: Sequence[QuotaSpec],
) -> Simulation:
    """Issue cards week by week until the quotas that apply run out.

    ``backlog`` (passing cases already in the pool) joins the first week's demand; ``weekly[i]``
    is the expected passing submissions of week ``weeks[i]`` per cell. Each week every quota
    serves the same share of the demand on it (``remaining / demand``, at most 1), and a cell
    gets the smallest share among its quotas: no quota is exceeded and the order of cells does
    not matter. A quota runs out on the day its places end, interpolated within the week.
    """
    remaining = {q.key: q.remaining for q in quotas}
    issued_by = dict.fromkeys(remaining, 0.0)
    runs_out: dict[int, datetime.date] = {q.key: weeks[0] for q in quotas if q.remaining <= 0 and weeks}
    applies: dict[Cell, list[int]] = {}
    total = 0.0
    for i, week in enumerate(weeks):
        demand: Counter[Cell] = Counter(weekly[i] if i < len(weekly) else {})
        if i == 0:
            demand.update(backlog)
        on_quota = {q.key: sum(v for c, v in demand.items() if q.applies_to(c)) for q in quotas}
        share = {k: (min(1.0, max(remaining[k], 0.0) / d) if d > 0 else 1.0) for k, d in on_quota.items()}
        week_taken = dict.fromkeys(remaining, 0.0)
        for cell, wanted in demand.items():
            keys = applies.get(cell)
            if keys is None:
                keys = applies[cell] = [q.key for q in quotas if q.applies_to(cell)]
            given = wanted * min((share[k] for k in keys), default=1.0)
            total += given
            for k in keys:
                week_taken[k] += given
        for k, taken in week_taken.items():
            before = remaining[k]
            if k not in runs_out and on_quota[k] > 0 and on_quota[k] >= before - 1e-9:
                # The places end within this week: on the day the demand reaches them.
                runs_out[k] = week + datetime.timedelta(days=min(int(7 * max(before, 0.0) / on_quota[k]), 6))
            remaining[k] = before - taken
            issued_by[k] += taken
    return Simulation(
        issued=total,
        quotas={
            q.key: QuotaOutcome(key=q.key, issued=issued_by[q.key], runs_out_on=runs_out.get(q.key)) for q in quotas
        },
    )


@dataclass(frozen=True)
class QuotaLine:
    quota: Quota
    places_now: int
    places_scenario: int
    baseline: QuotaOutcome
    scenario: QuotaOutcome


@dataclass
class ScenarioResult:
    product: str
    year: int
    has_criteria: bool
    pass_mark_now: float | None = None
    pass_mark_scenario: float | None = None
    pool: int = 0
    passing_now: int = 0
    passing_scenario: int = 0
    forecast: Forecast | None = None
    run: ForecastRun | None = None
    weeks: list[datetime.date] = field(default_factory=list)
    submissions_expected: float = 0.0
    cards_baseline: float = 0.0
    cards_scenario: float = 0.0
    quotas: list[QuotaLine] = field(default_factory=list)

    @property
    def has_forecast(self) -> bool:
        return self.forecast is not None and self.forecast.status == Forecast.Status.FITTED


def _shares(product: str, since: datetime.date) -> dict[Cell, float]:
    """Share of the product's submissions per (region, sector) since ``since`` (one GROUP BY)."""
    rows = (
        Application.objects.filter(product=product, submitted_at__date__gte=since)
        .values("region_id", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(r["region_id"] or "", r["sector"] or ""): r["n"] for r in rows}
    total = sum(counts.values())
    return {cell: n / total for cell, n in counts.items()} if total else {}


def scenario_compute(
    *,
    product: str,
    year: int,
    pass_mark: float | None = None,
    quota_change_percent: int = 0,
    quota_id: int | None = None,
) -> ScenarioResult:
    """The baseline (pass mark and quotas as they are) and the scenario, side by side.

    ``pass_mark`` None keeps the set's own; ``quota_change_percent`` changes the places of the
    quota ``quota_id`` (or of every quota of the product and year when None)."""
    criteria = published_set(product)
    result = ScenarioResult(product=product, year=year, has_criteria=criteria is not None)
    if criteria is None:
        return result
    now_ev = evaluator_for(criteria)
    definition = definition_from_set(criteria)
    result.pass_mark_now = definition.pass_mark
    result.pass_mark_scenario = definition.pass_mark if pass_mark is None else pass_mark
    scenario_ev = (
        now_ev
        if result.pass_mark_scenario == definition.pass_mark
        else compile_criteria(dataclasses.replace(definition, pass_mark=result.pass_mark_scenario), reference_tables())
    )

    backlog_now: Counter[Cell] = Counter()
    backlog_scenario: Counter[Cell] = Counter()
    for chunk in pool_chunks(undecided_pool(product)):
        for app, facts in chunk:
            cell = (app.region_id or "", app.sector or "")
            result.pool += 1
            if now_ev.score(facts)[1] == PASS:
                result.passing_now += 1
                backlog_now[cell] += 1
            if scenario_ev.score(facts)[1] == PASS:
                result.passing_scenario += 1
                backlog_scenario[cell] += 1

    run = ForecastRun.objects.first()
    result.run = run
    if run is not None:
        result.forecast = (
            Forecast.objects.filter(run=run, product=product, region__isnull=True).prefetch_related("points").first()
        )
    points = list(result.forecast.points.all()) if result.has_forecast and result.forecast else []
    # Only the weeks of the quota year count against its places.
    points = [
        p for p in points if p.week_start.year == year or (p.week_start + datetime.timedelta(days=6)).year == year
    ]
    if not points:
        start = max(datetime.date.today(), datetime.date(year, 1, 1))
        result.weeks = [start - datetime.timedelta(days=start.weekday())]
    else:
        result.weeks = [p.week_start for p in points]
    result.submissions_expected = sum(p.value for p in points)
    shares = _shares(product, result.weeks[0] - datetime.timedelta(weeks=SHARE_WEEKS)) if points else {}

    def weekly(passing: int) -> list[dict[Cell, float]]:
        rate = passing / result.pool if result.pool else 0.0
        return [{cell: p.value * rate * s for cell, s in shares.items()} for p in points]

    quotas = list(Quota.objects.filter(product=product, year=year).select_related("region").order_by("pk"))

    def specs(change: int) -> list[QuotaSpec]:
        out = []
        for q in quotas:
            places = _changed_places(q.places, change) if quota_id in (None, q.pk) else q.places
            out.append(QuotaSpec(key=q.pk, region=q.region_id or "", sector=q.sector, remaining=places - q.used))
        return out

    baseline = quota_simulate(
        weeks=result.weeks, backlog=backlog_now, weekly=weekly(result.passing_now), quotas=specs(0)
    )
    scenario = quota_simulate(
        weeks=result.weeks,
        backlog=backlog_scenario,
        weekly=weekly(result.passing_scenario),
        quotas=specs(quota_change_percent),
    )
    result.cards_baseline = baseline.issued
    result.cards_scenario = scenario.issued
    result.quotas = [
        QuotaLine(
            quota=q,
            places_now=q.places,
            places_scenario=_changed_places(q.places, quota_change_percent) if quota_id in (None, q.pk) else q.places,
            baseline=baseline.quotas[q.pk],
            scenario=scenario.quotas[q.pk],
        )
        for q in quotas
    ]
    return result


def _changed_places(places: int, percent: int) -> int:
    return max(0, round(places * (100 + percent) / 100))
