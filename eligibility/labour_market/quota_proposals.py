"""The quota proposal's rule: places per sector × region for next year, in plain Python.

For one product, each sector × region gets

    places = min(ceiling, round_up(uptake_weight × approvals this year
                                   + waiting_weight × cases waiting for a place
                                   + demand_weight × unfilled vacancies))

where unfilled vacancies are counted from the latest year of a labour-market import, per
occupation in the region: the vacancies that local job seekers cannot fill (posted − job
seekers) and that stayed open long, i.e. ``min(long-open, posted − seekers)``, never below 0;
occupations in the scarce-professions rating in force count in full, the others at
``unrated_weight``. An occupation belongs to the sector the rating in force gives it, else its
ISCO-08 group's (``sectors.py``). Three terms, each on the page with its figures, so that a
reader can redo the sum: keep pace with this year's demand for places, make room for who is
waiting now, and follow the labour market where it lacks people.

No ORM here: the service (quota_services.py) reads the rows and the counts and calls this.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

TOP_OCCUPATIONS = 3  # occupations named in a row's explanation


@dataclass(frozen=True)
class QuotaSettings:
    uptake_weight: float = 1.10
    waiting_weight: float = 1.00
    demand_weight: float = 0.05
    unrated_weight: float = 0.50
    ceiling: int = 1000


@dataclass(frozen=True)
class VacancyRow:
    """One occupation in one region in the data year, as the import gave it."""

    occupation: str
    region: str
    vacancies_posted: int
    vacancies_long_open: int
    job_seekers: int


@dataclass
class QuotaInputs:
    """Everything one sector × region's places are computed from."""

    sector: str
    region: str
    approved: int = 0  # cases approved in the uptake year
    waiting: int = 0  # cases waiting for a quota place now
    places_now: int | None = None  # the uptake year's sector × region quota, if there was one
    used_now: int | None = None
    unfilled_rated: int = 0
    unfilled_unrated: int = 0
    # (ISCO code, unfilled vacancies) of the occupations that contribute most, largest first.
    top: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class QuotaResult:
    inputs: QuotaInputs
    uptake_term: float
    waiting_term: float
    demand: float
    demand_term: float
    total: float
    places: int
    capped: bool

    def explanation(self) -> dict[str, Any]:
        """What a proposal row stores: the inputs and each term, for the sentence on the page."""
        return {
            "inputs": asdict(self.inputs),
            "terms": {
                "uptake": self.uptake_term,
                "waiting": self.waiting_term,
                "demand": self.demand,
                "demand_term": self.demand_term,
                "total": self.total,
            },
            "capped": self.capped,
        }


def unfilled_vacancies(*, posted: int, long_open: int, job_seekers: int) -> int:
    """Vacancies that local job seekers cannot fill and that stayed open long."""
    return max(0, min(long_open, posted - job_seekers))


def demand_by_scope(
    rows: Iterable[VacancyRow], *, sector_of: Callable[[str], str], rated: set[str]
) -> dict[tuple[str, str], QuotaInputs]:
    """Unfilled vacancies per sector × region, split into rated and unrated occupations."""
    out: dict[tuple[str, str], QuotaInputs] = {}
    contributions: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for row in rows:
        n = unfilled_vacancies(
            posted=row.vacancies_posted, long_open=row.vacancies_long_open, job_seekers=row.job_seekers
        )
        if n <= 0:
            continue
        key = (sector_of(row.occupation), row.region)
        inputs = out.setdefault(key, QuotaInputs(sector=key[0], region=key[1]))
        if row.occupation in rated:
            inputs.unfilled_rated += n
        else:
            inputs.unfilled_unrated += n
        contributions.setdefault(key, []).append((row.occupation, n))
    for key, items in contributions.items():
        out[key].top = sorted(items, key=lambda item: (-item[1], item[0]))[:TOP_OCCUPATIONS]
    return out


def quota_places(inputs: QuotaInputs, settings: QuotaSettings) -> QuotaResult:
    """The formula of the module docstring for one sector × region."""
    uptake = settings.uptake_weight * inputs.approved
    waiting = settings.waiting_weight * inputs.waiting
    demand = inputs.unfilled_rated + settings.unrated_weight * inputs.unfilled_unrated
    demand_term = settings.demand_weight * demand
    total = uptake + waiting + demand_term
    # Rounded to 6 places first so that 1.1 × 10 = 11.000000000000002 is 11, not 12.
    raw = math.ceil(round(total, 6))
    places = min(settings.ceiling, raw)
    return QuotaResult(
        inputs=inputs,
        uptake_term=round(uptake, 4),
        waiting_term=round(waiting, 4),
        demand=round(demand, 4),
        demand_term=round(demand_term, 4),
        total=round(total, 4),
        places=places,
        capped=raw > settings.ceiling,
    )


def propose(
    *,
    vacancy_rows: Iterable[VacancyRow],
    uptake: dict[tuple[str, str], dict[str, int]],
    quotas_now: dict[tuple[str, str], tuple[int, int]],
    sector_of: Callable[[str], str],
    rated: set[str],
    settings: QuotaSettings,
) -> list[QuotaResult]:
    """Every sector × region with demand, uptake, a waiting list or a quota this year, with its
    places. ``uptake``: (sector, region) -> {"approved", "waiting"}; ``quotas_now``: (sector,
    region) -> (places, used) of this year's sector × region quotas."""
    scopes = demand_by_scope(vacancy_rows, sector_of=sector_of, rated=rated)
    for key, counts in uptake.items():
        inputs = scopes.setdefault(key, QuotaInputs(sector=key[0], region=key[1]))
        inputs.approved = int(counts.get("approved", 0))
        inputs.waiting = int(counts.get("waiting", 0))
    for key, (places, used) in quotas_now.items():
        inputs = scopes.setdefault(key, QuotaInputs(sector=key[0], region=key[1]))
        inputs.places_now, inputs.used_now = places, used
    return [quota_places(scopes[key], settings) for key in sorted(scopes)]
