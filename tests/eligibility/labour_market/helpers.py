"""Shared bits of the labour-market tests."""

import csv
from pathlib import Path

from django.conf import settings

# The occupation list as the reference migration loads it (no database needed).
OCCUPATIONS = [
    row["code"]
    for row in csv.DictReader(
        (Path(settings.BASE_DIR) / "eligibility" / "data" / "isco08_unit_groups.csv").open(encoding="utf-8")
    )
]

# The planted occupations and a spread of others: a dataset small enough for every test.
SMALL = sorted({*OCCUPATIONS[::12], "2221", "2211", "2512", "7212", "2144", "2341", "2261"})


def import_small(*, seed: int = 1, end_year: int = 2025, actor=None):
    from eligibility.labour_market.imports import labour_market_import
    from eligibility.labour_market.synthetic import synthetic_csv

    data = synthetic_csv(SMALL, seed=seed, years=2, end_year=end_year)
    report = labour_market_import(data, file_name="small.csv", actor=actor)
    assert report.ok, report.errors[:3]
    return report.data_import
