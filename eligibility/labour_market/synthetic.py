"""A seeded synthetic labour-market dataset for the demo and the tests (docs/labour-market.md).

Every ISCO-08 unit group of the occupation list in all 20 regions, one row per year, in the
import format. Magnitudes are of Kazakhstan's order (about 10 million employed; monthly wages
from 150,000 to 550,000 tenge by major group, higher in the oil regions and the two cities;
nominal wages rising about 10% a year). Random indicators are drawn from bounded ranges, and
the planted shortages sit beyond those bounds on all four indicators, so the model must rank
them first whatever the seed: that is the test of the model.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Iterable

from eligibility.labour_market.imports import COLUMNS

# Planted national shortages: short of workers in every region.
PLANTED_NATIONAL = ("2221", "2211", "2512", "7212", "2144")
# Planted regional shortages: short only in one region (primary teachers in North Kazakhstan,
# dentists in East Kazakhstan), diluted below the national cut-offs.
PLANTED_REGIONAL = (("2341", "KZ-59"), ("2261", "KZ-63"))

# Approximate shares of the employed population by region (ISO 3166-2).
REGION_SHARE = {
    "KZ-10": 3.0, "KZ-11": 3.9, "KZ-15": 4.6, "KZ-19": 7.5, "KZ-23": 3.5, "KZ-27": 3.4, "KZ-31": 6.0,
    "KZ-33": 3.5, "KZ-35": 5.5, "KZ-39": 4.2, "KZ-43": 4.0, "KZ-47": 4.0, "KZ-55": 3.6, "KZ-59": 2.7,
    "KZ-61": 10.5, "KZ-62": 1.1, "KZ-63": 3.5, "KZ-71": 7.5, "KZ-75": 11.0, "KZ-79": 6.0,
}  # fmt: skip
# Regional wage level against the national one (oil regions and the two cities pay more).
REGION_WAGE = {
    "KZ-10": 0.9, "KZ-11": 0.9, "KZ-15": 1.0, "KZ-19": 0.9, "KZ-23": 1.6, "KZ-27": 1.05, "KZ-31": 0.85,
    "KZ-33": 0.85, "KZ-35": 1.05, "KZ-39": 0.9, "KZ-43": 0.9, "KZ-47": 1.45, "KZ-55": 1.0, "KZ-59": 0.85,
    "KZ-61": 0.8, "KZ-62": 1.2, "KZ-63": 1.0, "KZ-71": 1.35, "KZ-75": 1.3, "KZ-79": 0.85,
}  # fmt: skip
# By ISCO major group: median national employment of a unit group, and its monthly wage (tenge).
MAJOR_EMPLOYMENT = {"0": 3000, "1": 8000, "2": 15000, "3": 12000, "4": 10000, "5": 30000, "6": 40000,
                    "7": 18000, "8": 15000, "9": 25000}  # fmt: skip
MAJOR_WAGE = {"0": 300_000, "1": 550_000, "2": 380_000, "3": 300_000, "4": 220_000, "5": 190_000,
              "6": 150_000, "7": 260_000, "8": 280_000, "9": 150_000}  # fmt: skip
# Planted occupations get a fixed national size, so every region has enough vacancies to judge.
PLANTED_EMPLOYMENT = {"2221": 60000, "2211": 35000, "2512": 25000, "7212": 30000, "2144": 12000,
                      "2341": 80000, "2261": 8000}  # fmt: skip


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def synthetic_rows(occupations: Iterable[str], *, seed: int, years: int, end_year: int) -> list[list]:
    """Rows in the import's column order (``COLUMNS``) for ``years`` years ending ``end_year``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose  # nosec B311
    regional = dict(PLANTED_REGIONAL)
    out: list[list] = []
    economy_growth = {y: rng.uniform(0.08, 0.12) for y in range(end_year - years + 1, end_year + 1)}
    for code in sorted(occupations):
        major = code[0]
        size = PLANTED_EMPLOYMENT.get(code) or MAJOR_EMPLOYMENT.get(major, 10000) * math.exp(rng.gauss(0, 0.8))
        base_wage = MAJOR_WAGE.get(major, 250_000) * math.exp(_clip(rng.gauss(0, 0.2), -0.5, 0.5))
        for region, share in REGION_SHARE.items():
            planted = code in PLANTED_NATIONAL or regional.get(code) == region
            employment = size * share / 100 * math.exp(_clip(rng.gauss(0, 0.3), -0.8, 0.8))
            wage = base_wage * REGION_WAGE[region]
            vacancy_rate = rng.uniform(0.03, 0.10)
            for year in range(end_year - years + 1, end_year + 1):
                if year > end_year - years + 1:
                    if planted:
                        wage *= 1 + economy_growth[year] + 0.08
                        employment *= 1.07
                    else:
                        wage *= 1 + economy_growth[year] + rng.uniform(-0.03, 0.03)
                        employment *= 1 + rng.uniform(-0.03, 0.04)
                vacancies = round(employment * vacancy_rate * rng.uniform(0.9, 1.1))
                if planted:
                    seekers = round(vacancies * 0.15)
                    long_open = round(vacancies * rng.uniform(0.55, 0.65))
                else:
                    # Usually more job seekers than vacancies (0.6 to 4 per vacancy).
                    seekers = round(vacancies * _clip(math.exp(rng.gauss(math.log(1.6), 0.4)), 0.6, 4.0))
                    long_open = round(vacancies * rng.uniform(0.08, 0.32))
                emp = round(employment)
                out.append([year, region, code, vacancies, long_open, seekers, emp, round(wage / 1000) * 1000])
    out.sort(key=lambda r: (r[0], r[1], r[2]))
    return out


def synthetic_csv(occupations: Iterable[str], *, seed: int, years: int, end_year: int) -> bytes:
    """The dataset as a UTF-8 CSV file in the import format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(synthetic_rows(occupations, seed=seed, years=years, end_year=end_year))
    return buffer.getvalue().encode("utf-8")
