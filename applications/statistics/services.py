"""Computing and storing a monthly release (the only writer of Release and ReleaseCell)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone
from django_countries.data import COUNTRIES

from applications.models import Application
from applications.states import GRANTED_STATES, REVIEW_STATES, State
from applications.statistics import sdc
from applications.statistics.models import Dimension, Measure, Release, ReleaseCell
from eligibility.products import Product, Sector
from portal.audit.record import audit_record

# The category of a case whose region, sector or citizenship is not recorded.
UNKNOWN = "unknown"
Key = tuple[str, str, str, str]  # product, region, sector, citizenship


def month_start(value: date) -> date:
    return value.replace(day=1)


def _month_bounds(period: date) -> tuple[datetime, datetime]:
    """The month in the portal's time zone (Asia/Almaty), as aware datetimes [start, end)."""
    following = date(period.year + (period.month == 12), period.month % 12 + 1, 1)
    start = timezone.make_aware(datetime(period.year, period.month, 1))
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


def _counts(queryset: QuerySet) -> dict[Key, int]:
    """One GROUP BY over the month's cases: product, region, sector and citizenship."""
    rows = (
        queryset.annotate(citizenship_code=KT("answers__personal__citizenship"))
        .values("product", "region_id", "sector", "citizenship_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[Key, int] = defaultdict(int)
    for row in rows:
        citizenship = row["citizenship_code"]
        key = (
            row["product"],
            row["region_id"] or UNKNOWN,
            row["sector"] if row["sector"] in Sector.values else UNKNOWN,
            citizenship if isinstance(citizenship, str) and citizenship in COUNTRIES else UNKNOWN,
        )
        out[key] += row["n"]
    return out


def release_counts(period: date) -> dict[str, dict[Key, int]]:
    """The month's true counts per measure (documented in docs/statistics.md, "What is counted")."""
    start, end = _month_bounds(period)
    apps = Application.objects.all()
    return {
        Measure.SUBMITTED: _counts(apps.filter(submitted_at__gte=start, submitted_at__lt=end)),
        Measure.APPROVED: _counts(apps.filter(decided_at__gte=start, decided_at__lt=end, state__in=GRANTED_STATES)),
        # A refusal under administrative review is still a refusal until the review decides.
        Measure.REFUSED: _counts(
            apps.filter(decided_at__gte=start, decided_at__lt=end, state__in={State.REFUSED, *REVIEW_STATES})
        ),
        # Cards issued in the month (one card per application).
        Measure.ISSUED: _counts(apps.filter(card__issued_at__gte=start, card__issued_at__lt=end)),
    }


_POSITION: dict[str, int] = {Dimension.REGION: 1, Dimension.SECTOR: 2, Dimension.CITIZENSHIP: 3}


def _table(counts: dict[Key, int], dimension: str) -> tuple[list[str], list[list[int]]]:
    """Rows (categories with any count) x products, with margins appended."""
    products = list(Product.values)
    by_category: dict[str, list[int]] = defaultdict(lambda: [0] * len(products))
    for key, n in counts.items():
        if key[0] in products:
            by_category[key[_POSITION[dimension]]][products.index(key[0])] += n
    categories = sorted(by_category)
    interior = [by_category[c] for c in categories]
    grid = sdc.grid_with_margins(interior) if interior else [[0] * (len(products) + 1)]
    return categories, grid


def release_tables(counts: dict[Key, int]) -> dict[str, tuple[list[str], list[list[int]], set[sdc.Cell]]]:
    """The three tables of one measure, suppressed consistently: the total row (each
    product's total and the grand total) is the same figure in all three, so a total hidden
    in one is hidden in all, and each table is protected again until nothing changes."""
    tables = {d: _table(counts, d) for d in Dimension.values}
    shared: set[int] = set()  # hidden columns of the total row
    while True:
        result = {}
        for dimension, (categories, grid) in tables.items():
            total_row = len(grid) - 1
            hidden = sdc.suppress(grid, forced={(total_row, c) for c in shared})
            result[dimension] = (categories, grid, hidden)
        now = {c for _cats, grid, hidden in result.values() for r, c in hidden if r == len(grid) - 1}
        if now == shared:
            return result
        shared = now


def _cells(release: Release, measure: str, tables: dict) -> Iterable[ReleaseCell]:
    products = [*Product.values, ""]
    for dimension, (categories, grid, hidden) in tables.items():
        for r, category in enumerate([*categories, ""]):
            for c, product in enumerate(products):
                yield ReleaseCell(
                    release=release,
                    measure=measure,
                    dimension=dimension,
                    category=category,
                    product=product,
                    value=None if (r, c) in hidden else grid[r][c],
                )


def release_compute(*, period: date, actor=None) -> Release:
    """Count the month, protect the tables and store them as the month's release (a later
    run for the same month replaces the figures as a new revision). Audited."""
    period = month_start(period)
    counts = release_counts(period)
    with transaction.atomic():
        release = Release.objects.select_for_update().filter(period=period).first()
        now = timezone.now()
        if release is None:
            release = Release.objects.create(period=period, computed_at=now, threshold=sdc.THRESHOLD)
        else:
            release.revision += 1
            release.computed_at = now
            release.threshold = sdc.THRESHOLD
            release.save(update_fields=["revision", "computed_at", "threshold"])
            release.cells.all().delete()
        cells = [
            cell for measure in Measure.values for cell in _cells(release, measure, release_tables(counts[measure]))
        ]
        ReleaseCell.objects.bulk_create(cells, batch_size=2000)
        audit_record(
            actor=actor,
            action="statistics.release",
            obj=release,
            snapshot={
                "period": period.isoformat(),
                "revision": release.revision,
                "cells": len(cells),
                "suppressed": sum(1 for cell in cells if cell.value is None),
            },
        )
    return release


def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    first = today.replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def release_publish_due(today: date | None = None) -> Release | None:
    """Publish last month's figures once; a month already out is left as published (a
    revision is an explicit ``manage.py statistics_release --month YYYY-MM``). None if out."""
    period = previous_month(today)
    if Release.objects.filter(period=period).exists():
        return None
    return release_compute(period=period)
