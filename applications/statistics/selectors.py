"""Reads of the published figures and of the quota position, for the page, the CSV and the API.

Everything here reads stored rows (releases, quotas, rounds): a fixed number of queries
whatever the number of cases (tests/applications/statistics/test_query_counts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from applications.statistics import sdc
from applications.statistics.labels import category_label, product_label, region_label
from applications.statistics.models import Release, ReleaseCell
from eligibility.models.quotas import AllocationRound, Quota
from eligibility.products import Product, Sector
from portal.search_text import fold


def releases() -> list[Release]:
    return list(Release.objects.order_by("-period"))


def release_for(period: date) -> Release | None:
    return Release.objects.filter(period=period).first()


def release_cells(
    release: Release, *, measure: str = "", dimension: str = "", product: str | None = None
) -> QuerySet[ReleaseCell]:
    cells = release.cells.all()
    if measure:
        cells = cells.filter(measure=measure)
    if dimension:
        cells = cells.filter(dimension=dimension)
    if product is not None:
        cells = cells.filter(product=product)
    return cells.order_by("measure", "dimension", "category", "product")


@dataclass
class TableRow:
    label: str
    values: list[int | None]
    is_total: bool = False


def release_table(release: Release, *, measure: str, dimension: str) -> tuple[list[str], list[TableRow]]:
    """One published table: the column headings (products, then the total) and its rows,
    categories in the alphabetical order of the page's language, the total row last."""
    products = [*Product.values, ""]
    grid: dict[str, list[int | None]] = {}
    for cell in release_cells(release, measure=measure, dimension=dimension):
        if cell.product in products:
            grid.setdefault(cell.category, [None] * len(products))[products.index(cell.product)] = cell.value
    total = grid.pop("", [None] * len(products))
    rows = sorted(
        (TableRow(category_label(dimension, code), values) for code, values in grid.items()),
        key=lambda row: fold(row.label),
    )
    return [product_label(p) for p in products], [*rows, TableRow(category_label(dimension, ""), total, True)]


@dataclass
class QuotaLine:
    product: str
    scope: str
    places: int
    used: int | None  # None: fewer than the threshold, not shown
    remaining: int | None


def _shown(count: int) -> int | None:
    """A count of cases on a public page: hidden when it is 1 .. threshold-1, as in the releases."""
    return None if 0 < count < sdc.THRESHOLD else count


def quota_years() -> list[int]:
    return sorted(set(Quota.objects.values_list("year", flat=True)), reverse=True)


def quota_lines(year: int) -> list[QuotaLine]:
    """Places, used and left of every quota of ``year``. "Used" counts approved people, so it
    follows the releases' rule: 1 .. 9 is not shown, and then neither is what is left
    (places minus used would give it back)."""
    lines = []
    for quota in Quota.objects.filter(year=year).order_by("product", "sector", "region_id"):
        used = _shown(quota.used)
        scope = (
            str(Sector(quota.sector).label)
            if quota.sector in Sector.values
            else region_label(quota.region_id or "unknown")
        )
        lines.append(
            QuotaLine(
                product=product_label(quota.product),
                scope=scope,
                places=quota.places,
                used=used,
                remaining=None if used is None else quota.remaining,
            )
        )
    return lines


@dataclass
class RoundLine:
    held_at: datetime
    product: str
    scope: str
    places_released: int
    cut_off_score: int | None
    cut_off_hidden: bool


def round_lines(year: int) -> list[RoundLine]:
    """Each allocation round of ``year``, newest first. The cut-off is the score of the last
    person moved: shown only when the round moved at least the threshold of people."""
    lines = []
    for item in AllocationRound.objects.filter(year=year).order_by("-created_at", "-id"):
        if item.sector in Sector.values:
            scope = str(Sector(item.sector).label)
        elif item.region_id:
            scope = region_label(item.region_id)
        else:
            scope = ""
        lines.append(
            RoundLine(
                held_at=item.created_at,
                product=product_label(item.product),
                scope=scope,
                places_released=item.places_released,
                cut_off_score=item.cut_off_score if item.cases_moved >= sdc.THRESHOLD else None,
                cut_off_hidden=0 < item.cases_moved < sdc.THRESHOLD,
            )
        )
    return lines
