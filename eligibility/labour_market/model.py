"""The shortage model: plain functions over plain values, no ORM (docs/labour-market.md).

For one year and each occupation, nationally and in each region, four indicators in the
spirit of the UK Migration Advisory Committee's shortage indicators and Jobs and Skills
Australia's Occupation Shortage List:

- vacancies posted per registered job seeker (demand against the local supply);
- the share of vacancies still open after N days (hard to fill);
- wage growth over the previous year minus the median wage growth of all occupations
  (employers bidding up a scarce skill, net of general wage inflation);
- employment growth over the previous year.

Each indicator is normalised to its percentile rank (mid-rank, 0..1) among all occupations
of the same level (national rows among national rows; regional rows among every occupation x
region row, so a region's shortage stands out against the whole country, not only its own
occupations). The shortage score is the weighted mean of the available parts; the cut-offs
of the weights' version turn it into priority 1, 2 or 3, or none. Every row keeps its
indicators and parts, so the page can say how it was reached.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

INDICATORS = ("vacancy_ratio", "long_open_share", "wage_growth_gap", "employment_growth")


@dataclass(frozen=True)
class Observation:
    """One imported row: an ISCO-08 unit group in a region in a year."""

    occupation: str
    region: str
    year: int
    vacancies_posted: int
    vacancies_long_open: int
    job_seekers: int
    employment: int
    median_wage: int


@dataclass(frozen=True)
class Weights:
    """One version of the admin's weights and cut-offs (labour_market.models.ShortageModel)."""

    vacancy_ratio: float = 1.0
    long_open_share: float = 1.0
    wage_growth_gap: float = 1.0
    employment_growth: float = 1.0
    priority_1_from: float = 0.85
    priority_2_from: float = 0.75
    priority_3_from: float = 0.65
    min_vacancies: int = 30

    def of(self, indicator: str) -> float:
        return float(getattr(self, indicator))

    def priority(self, score: float | None) -> int | None:
        if score is None:
            return None
        for priority, cut in ((1, self.priority_1_from), (2, self.priority_2_from), (3, self.priority_3_from)):
            if score >= cut:
                return priority
        return None


@dataclass
class ShortageRow:
    """The model's result for one occupation, nationally (``region`` None) or in one region."""

    occupation: str
    region: str | None
    year: int
    indicators: dict[str, float | None]
    counts: dict[str, int]
    parts: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    priority: int | None = None
    too_few_vacancies: bool = False

    def explanation(self) -> dict:
        """What a proposal row stores: every input and every normalised part."""
        return {
            "indicators": self.indicators,
            "parts": self.parts,
            "counts": self.counts,
            "few": self.too_few_vacancies,
        }


@dataclass
class _Totals:
    vacancies_posted: int = 0
    vacancies_long_open: int = 0
    job_seekers: int = 0
    employment: int = 0
    wage_bill: float = 0.0  # employment x median wage, for an employment-weighted national wage

    def add(self, o: Observation) -> None:
        self.vacancies_posted += o.vacancies_posted
        self.vacancies_long_open += o.vacancies_long_open
        self.job_seekers += o.job_seekers
        self.employment += o.employment
        self.wage_bill += o.employment * o.median_wage

    @property
    def wage(self) -> float | None:
        return self.wage_bill / self.employment if self.employment else None


def _growth(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return now / before - 1.0


def _rows_for_level(
    current: dict[tuple[str, str | None], _Totals],
    previous: dict[tuple[str, str | None], _Totals],
    year: int,
    min_vacancies: int,
) -> list[ShortageRow]:
    wage_growth = {key: _growth(t.wage, previous[key].wage if key in previous else None) for key, t in current.items()}
    # The all-occupation median wage growth, per region (national rows: the national median).
    by_area: dict[str | None, list[float]] = defaultdict(list)
    for (_occupation, area), growth in wage_growth.items():
        if growth is not None:
            by_area[area].append(growth)
    area_median = {area: statistics.median(values) for area, values in by_area.items()}
    rows = []
    for key, t in current.items():
        occupation, area = key
        before = previous.get(key)
        growth = wage_growth[key]
        median = area_median.get(area)
        rows.append(
            ShortageRow(
                occupation=occupation,
                region=area,
                year=year,
                indicators={
                    # A job seeker count of 0 is read as 1: the ratio stays finite and still ranks top.
                    "vacancy_ratio": t.vacancies_posted / max(t.job_seekers, 1),
                    "long_open_share": t.vacancies_long_open / t.vacancies_posted if t.vacancies_posted else 0.0,
                    "wage_growth": growth,
                    "wage_growth_median": median,
                    "wage_growth_gap": growth - median if growth is not None and median is not None else None,
                    "employment_growth": _growth(t.employment, before.employment if before else None),
                },
                counts={
                    "vacancies_posted": t.vacancies_posted,
                    "vacancies_long_open": t.vacancies_long_open,
                    "job_seekers": t.job_seekers,
                    "employment": t.employment,
                    "median_wage": round(t.wage) if t.wage is not None else 0,
                },
                too_few_vacancies=t.vacancies_posted < min_vacancies,
            )
        )
    return rows


def percentile_ranks(values: list[float]) -> list[float]:
    """Mid-rank percentile of each value among all of them (ties share a rank), in 0..1."""
    ordered = sorted(values)
    n = len(ordered)
    out = []
    for v in values:
        below = bisect.bisect_left(ordered, v)
        equal = bisect.bisect_right(ordered, v) - below
        out.append((below + 0.5 * equal) / n)
    return out


def _normalise_and_score(rows: list[ShortageRow], weights: Weights) -> None:
    for name in INDICATORS:
        present = [r for r in rows if r.indicators.get(name) is not None]
        ranks = percentile_ranks([float(r.indicators[name] or 0.0) for r in present])
        for row, rank in zip(present, ranks, strict=True):
            row.parts[name] = round(rank, 4)
        for row in rows:
            row.parts.setdefault(name, None)
    for row in rows:
        present_parts = {n: p for n in INDICATORS if (p := row.parts[n]) is not None}
        total = sum(weights.of(n) for n in present_parts)
        if total <= 0:
            continue
        score = sum(weights.of(n) * p for n, p in present_parts.items()) / total
        row.score = round(score, 4)
        row.priority = None if row.too_few_vacancies else weights.priority(row.score)


def regional_min_vacancies(national: int) -> int:
    """A region sees about a twentieth of the country's vacancies; a fifth of the national
    minimum keeps small regions' real shortages while still ignoring a handful of postings."""
    return max(1, math.ceil(national / 5))


def shortage_rows(observations: Iterable[Observation], *, year: int, weights: Weights) -> list[ShortageRow]:
    """National and regional rows for ``year`` (growth is measured against ``year - 1``),
    sorted by level (national first), then by score, highest first."""
    level_national: dict[int, dict[tuple[str, str | None], _Totals]] = {
        year: defaultdict(_Totals),
        year - 1: defaultdict(_Totals),
    }
    level_regional: dict[int, dict[tuple[str, str | None], _Totals]] = {
        year: defaultdict(_Totals),
        year - 1: defaultdict(_Totals),
    }
    for o in observations:
        if o.year not in level_national:
            continue
        level_national[o.year][(o.occupation, None)].add(o)
        level_regional[o.year][(o.occupation, o.region)].add(o)
    national = _rows_for_level(level_national[year], level_national[year - 1], year, weights.min_vacancies)
    regional = _rows_for_level(
        level_regional[year], level_regional[year - 1], year, regional_min_vacancies(weights.min_vacancies)
    )
    _normalise_and_score(national, weights)
    _normalise_and_score(regional, weights)

    def order(r: ShortageRow) -> tuple:
        return (r.region or "", -(r.score if r.score is not None else -1.0), r.occupation)

    return sorted(national, key=order) + sorted(regional, key=order)
