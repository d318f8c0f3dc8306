"""Weekly submissions per product x region (and nationally), the input of every forecast.

A batch job: one GROUP BY over ``Application.submitted_at`` at refit time (weeks start on
Monday, in the portal's time zone). ``weekly_series`` is pure and does the shaping.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from applications.forecasts.models import DemoWeeklySubmissions
from applications.models import Application

# (product, region code or None for the whole country)
SeriesKey = tuple[str, str | None]


@dataclass(frozen=True)
class WeeklySeries:
    first_week: datetime.date
    counts: list[int]


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def current_week(now: datetime.datetime | None = None) -> datetime.date:
    """Monday of the week in progress: series stop before it (a partial week reads as a drop)."""
    return week_start(timezone.localtime(now or timezone.now()).date())


def weekly_series(
    rows: Iterable[tuple[datetime.date, str, str | None, int]],
    *,
    end_week: datetime.date,
    products: Iterable[str],
    regions: Iterable[str],
) -> dict[SeriesKey, WeeklySeries]:
    """Shape ``(week, product, region, count)`` rows into one series per product x region and
    one national series per product, all from the product's first week to ``end_week``
    (exclusive), weeks without submissions as zeros. A product with no rows gets empty series.
    """
    by_key: dict[SeriesKey, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    first: dict[str, datetime.date] = {}
    for week, product, region, count in rows:
        week = week_start(week)
        if week >= end_week:
            continue
        by_key[(product, region)][week] += count
        by_key[(product, None)][week] += count
        first[product] = min(first.get(product, week), week)
    out: dict[SeriesKey, WeeklySeries] = {}
    region_list = list(regions)
    for product in products:
        start = first.get(product, end_week)
        weeks = (end_week - start).days // 7
        for region in [None, *region_list]:
            counts = by_key.get((product, region), {})
            out[(product, region)] = WeeklySeries(
                first_week=start, counts=[counts.get(start + datetime.timedelta(weeks=i), 0) for i in range(weeks)]
            )
    return out


def submission_rows(end_week: datetime.date) -> list[tuple[datetime.date, str, str | None, int]]:
    """Submitted applications counted per week, product and region (one GROUP BY)."""
    rows = (
        Application.objects.filter(submitted_at__isnull=False)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week", "product", "region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = []
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, datetime.datetime) else week
        out.append((week, row["product"], row["region_id"], row["n"]))
    return out


def demo_rows(before: datetime.date | None = None) -> list[tuple[datetime.date, str, str | None, int]]:
    """The synthetic demo history (``DemoWeeklySubmissions``), weeks before ``before`` only."""
    qs = DemoWeeklySubmissions.objects.all()
    if before is not None:
        qs = qs.filter(week_start__lt=before)
    return [(r.week_start, r.product, r.region_id, r.count) for r in qs]
