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
