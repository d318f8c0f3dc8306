"""Reads of the dashboards (issue 17): each sums rows of the aggregate tables, never the cases.

Every function takes the cleaned filters (``DashboardFilterForm.filters()``) and runs a fixed
number of queries whatever the number of cases (tests/applications/analytics/test_queries.py);
the aggregate rows go to the read replica when one is configured (portal/db_router.py).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.analytics.models import FlowCount, SlaCount, StageDuration
from applications.analytics.services import DRAFT, SELF_CHECK
from applications.models import Queue
from applications.states import State
from eligibility.models import CriteriaSet, Quota, Region
from eligibility.products import Product
from portal.display import babel_locale, date_display

# The dimensions of every aggregate row; self-check runs and drafts carry only the product.
DIMENSIONS = ("region", "sector", "citizenship", "occupation")
# The paper's "northern and eastern regions": the macro zones of eligibility/data/kz_regions.csv
# (its README gives the sources and the grouping; Astana counts as north there).
NORTH_EAST_ZONES = ("north", "east")
FLOW_EVENTS = {
    "submit": gettext_lazy("Submitted"),
    "approve": gettext_lazy("Approved"),
    "refuse": gettext_lazy("Refused"),
    "issue": gettext_lazy("Cards issued"),
    "withdraw": gettext_lazy("Withdrawn"),
}
OUTCOME_EVENTS = {
    "approve": gettext_lazy("Approved"),
    "refuse": gettext_lazy("Refused"),
    "waitlist": gettext_lazy("Waiting for a quota place"),
}


def lookups(filters: dict[str, Any], *, dimensions: bool = True) -> dict[str, Any]:
    """ORM lookups of the filters on an aggregate table (product and period only if not ``dimensions``)."""
    out: dict[str, Any] = {"month__gte": filters["month_from"], "month__lte": filters["month_to"]}
    if filters.get("product"):
        out["product"] = filters["product"]
    if dimensions:
        out.update({name: filters[name] for name in DIMENSIONS if filters.get(name)})
    return out


def has_dimension_filter(filters: dict[str, Any]) -> bool:
    return any(filters.get(name) for name in DIMENSIONS)


def months(filters: dict[str, Any]) -> list[date]:
    first, last = filters["month_from"], filters["month_to"]
    out = []
    current = first
    while current <= last and len(out) < 1200:
        out.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return out


def month_label(month: date) -> str:
    """ "мам. 2026" / "May 2026": the abbreviated stand-alone month name of the page's language."""
    return format_date(month, "LLL y", locale=babel_locale())


def period_text(filters: dict[str, Any]) -> str:
    return _("%(first)s to %(last)s") % {
        "first": month_label(filters["month_from"]),
        "last": month_label(filters["month_to"]),
    }


def n(value: float, decimals: int = 0) -> str:
    return number_format(value, decimals, force_grouping=True)


def pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# ---- Flows ---------------------------------------------------------------------------------


def flows(filters: dict[str, Any]) -> dict[str, Any]:
    """Submissions, approvals, refusals, cards issued and withdrawals per month (one query)."""
    rows = (
        FlowCount.objects.filter(**lookups(filters), event__in=list(FLOW_EVENTS))
        .values("month", "event")
        .annotate(n=Sum("count"))
    )
    by = {(r["month"], r["event"]): r["n"] for r in rows}
    periods = months(filters)
    series = {event: [by.get((m, event), 0) for m in periods] for event in FLOW_EVENTS}
    totals = {event: sum(values) for event, values in series.items()}
    return {"months": periods, "series": series, "totals": totals}


# ---- Funnel --------------------------------------------------------------------------------


def funnel(filters: dict[str, Any]) -> dict[str, Any]:
    """Self-check runs, drafts, submitted, decided, issued in the period (two queries).

    Self-check runs and drafts are counted before any answer is known, so they carry only the
    product: with a region, sector, citizenship or occupation filter they are not shown.
    """
    case_rows = (
        FlowCount.objects.filter(**lookups(filters), event__in=["submit", "approve", "refuse", "issue"])
        .values("event")
        .annotate(n=Sum("count"))
    )
    cases = {r["event"]: r["n"] for r in case_rows}
    early: dict[str, int | None] = {SELF_CHECK: None, DRAFT: None}
    if not has_dimension_filter(filters):
        early_rows = (
            FlowCount.objects.filter(**lookups(filters, dimensions=False), event__in=[SELF_CHECK, DRAFT])
            .values("event")
            .annotate(n=Sum("count"))
        )
        early = {SELF_CHECK: 0, DRAFT: 0} | {r["event"]: r["n"] for r in early_rows}
    steps = [
        ("self_check", _("Self-check runs"), early[SELF_CHECK]),
        ("draft", _("Drafts"), early[DRAFT]),
        ("submitted", _("Submitted"), cases.get("submit", 0)),
        ("decided", _("Decided"), cases.get("approve", 0) + cases.get("refuse", 0)),
        ("issued", _("Cards issued"), cases.get("issue", 0)),
    ]
    return {"steps": steps, "early_filtered_out": early[SELF_CHECK] is None}


# ---- Processing time and SLA ---------------------------------------------------------------


def percentile(histogram: Iterable[tuple[int, int]], q: float) -> int | None:
    """The q-quantile (0..1) of a histogram of (hours, count), by the nearest-rank method."""
    pairs = sorted(histogram)
    total = sum(c for _h, c in pairs)
    if not total:
        return None
    rank = max(1, -(-int(q * total * 1000) // 1000))  # ceil(q * total) without float drift
    seen = 0
    for hours, count in pairs:
        seen += count
        if seen >= rank:
            return hours
    return pairs[-1][0]


def processing(filters: dict[str, Any]) -> dict[str, Any]:
    """Median and p90 time per stage, and the SLA breach rate per queue (four queries)."""
    hist: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in (
        StageDuration.objects.filter(**lookups(filters)).values("stage", "hours").annotate(n=Sum("count")).order_by()
    ):
        hist[r["stage"]].append((r["hours"], r["n"]))
    stages = []
    for state in State:
        if state.value in hist:
            counts = hist[state.value]
            stages.append(
                {
                    "stage": state.label,
                    "cases": sum(c for _h, c in counts),
                    "median": percentile(counts, 0.5),
                    "p90": percentile(counts, 0.9),
                }
            )
    sla_rows = list(
        SlaCount.objects.filter(**lookups(filters))
        .values("product", "region", "priority")
        .annotate(decided=Sum("decided"), breached=Sum("breached"))
        .order_by()
    )
    queues = []
    for queue in Queue.objects.prefetch_related("regions").order_by("name"):
        regions = {r.code for r in queue.regions.all()}
        decided = breached = 0
        for r in sla_rows:
            if queue.product and r["product"] != queue.product:
                continue
            if regions and r["region"] not in regions:
                continue
            if not queue.priority_from <= r["priority"] <= queue.priority_to:
                continue
            decided += r["decided"]
            breached += r["breached"]
        queues.append({"name": queue.name, "decided": decided, "breached": breached, "rate": pct(breached, decided)})
    total_decided = sum(r["decided"] for r in sla_rows)
    total_breached = sum(r["breached"] for r in sla_rows)
    return {
        "stages": stages,
        "queues": queues,
        "decided": total_decided,
        "breached": total_breached,
        "rate": pct(total_breached, total_decided),
    }


# ---- Outcomes by criteria version ----------------------------------------------------------


def outcomes(filters: dict[str, Any]) -> dict[str, Any]:
    """Approvals, refusals and waiting-list entries per criteria set version (two queries)."""
    rows = (
        FlowCount.objects.filter(**lookups(filters), event__in=list(OUTCOME_EVENTS))
        .values("criteria_set_id", "event")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by: dict[int, dict[str, int]] = defaultdict(dict)
    for r in rows:
        by[r["criteria_set_id"]][r["event"]] = r["n"]
    sets = {cs.pk: cs for cs in CriteriaSet.objects.filter(pk__in=[pk for pk in by if pk])}
    versions = []
    for pk in sorted(by, key=lambda pk: (sets[pk].product, sets[pk].version) if pk in sets else ("", 0)):
        counts = by[pk]
        cs = sets.get(pk)
        label = (
            _("%(product)s, version %(version)s") % {"product": cs.get_product_display(), "version": cs.version}
            if cs
            else _("No criteria set")
        )
        decided = counts.get("approve", 0) + counts.get("refuse", 0)
        versions.append(
            {
                "label": label,
                "counts": [counts.get(event, 0) for event in OUTCOME_EVENTS],
                "approval_rate": pct(counts.get("approve", 0), decided),
            }
        )
    return {"versions": versions}


# ---- Quota burn-down -----------------------------------------------------------------------


def quotas(filters: dict[str, Any]) -> dict[str, Any]:
    """Each quota of the period's last year: places, used, places left at the end of each month
    and the projected date it runs out at the year's pace so far (two queries).

    Quotas are set per product, sector and region: the citizenship and occupation filters do
    not apply to them.
    """
    year = filters["month_to"].year
    quota_qs = Quota.objects.filter(year=year).select_related("region").order_by("product", "sector", "region")
    if filters.get("product"):
        quota_qs = quota_qs.filter(product=filters["product"])
    if filters.get("sector"):
        quota_qs = quota_qs.filter(sector=filters["sector"])
    if filters.get("region"):
        quota_qs = quota_qs.filter(region_id=filters["region"])
    approvals = list(
        FlowCount.objects.filter(event="approve", month__year=year)
        .values("month", "product", "sector", "region")
        .annotate(n=Sum("count"))
        .order_by()
    )
    today = timezone.localdate()
    start = date(year, 1, 1)
    elapsed = max(1, (min(today, date(year, 12, 31)) - start).days + 1)
    year_months = [date(year, m, 1) for m in range(1, 13) if date(year, m, 1) <= max(today, start)]
    rows = []
    for quota in quota_qs:
        monthly = defaultdict(int)
        for r in approvals:
            if r["product"] != quota.product:
                continue
            if quota.sector and r["sector"] != quota.sector:
                continue
            if quota.region_id and r["region"] != quota.region_id:
                continue
            monthly[r["month"]] += r["n"]
        left, remaining_by_month = quota.places, []
        for m in year_months:
            left = max(0, left - monthly.get(m, 0))
            remaining_by_month.append(left)
        runs_out = None
        if quota.remaining == 0:
            status = _("Full")
        elif quota.used and year == today.year:
            days_left = quota.remaining / (quota.used / elapsed)
            runs_out = today + timedelta(days=int(days_left))
            status = date_display(runs_out) if runs_out.year == year else _("Not this year at the present pace")
        else:
            status = _("No places used yet") if year >= today.year else _("Not used up")
        name = quota.sector and quota.get_sector_display() or (quota.region.name if quota.region else "")
        rows.append(
            {
                "label": f"{quota.get_product_display()}: {name}",
                "places": quota.places,
                "used": quota.used,
                "remaining": quota.remaining,
                "runs_out": runs_out,
                "status": status,
                "remaining_by_month": remaining_by_month,
            }
        )
    return {"year": year, "months": year_months, "rows": rows}


# ---- Settlement and the paper's indicators -------------------------------------------------


def _regions() -> dict[str, Region]:
    return {r.code: r for r in Region.objects.all()}


def settlement(filters: dict[str, Any]) -> dict[str, Any]:
    """Cards issued per region of arrival, and the share in labour-deficient regions (two queries)."""
    rows = FlowCount.objects.filter(**lookups(filters), event="issue").values("region").annotate(n=Sum("count"))
    by_region = {r["region"]: r["n"] for r in rows}
    regions = _regions()
    total = sum(by_region.values())
    deficient = sum(count for code, count in by_region.items() if code in regions and regions[code].is_labour_deficient)
    listed = sorted(
        (
            (regions[code].name if code in regions else _("Region not given"), count)
            for code, count in by_region.items()
        ),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {"regions": listed, "total": total, "deficient": deficient, "share": pct(deficient, total)}


def indicators(filters: dict[str, Any]) -> dict[str, Any]:
    """The paper's measures: qualified among approved applicants, and arrivals (cards issued)
    in the northern and eastern regions, per month (three queries)."""
    periods = months(filters)
    qualified = defaultdict(lambda: [0, 0])  # month -> [qualified, all]
    for r in (
        FlowCount.objects.filter(**lookups(filters), event="approve")
        .values("month", "qualified")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        qualified[r["month"]][1] += r["n"]
        if r["qualified"]:
            qualified[r["month"]][0] += r["n"]
    regions = _regions()
    north_east = {code for code, r in regions.items() if r.macro_zone in NORTH_EAST_ZONES}
    arrivals = defaultdict(lambda: [0, 0])  # month -> [north and east, all]
    for r in (
        FlowCount.objects.filter(**lookups(filters), event="issue")
        .values("month", "region")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        arrivals[r["month"]][1] += r["n"]
        if r["region"] in north_east:
            arrivals[r["month"]][0] += r["n"]
    q_total = [sum(v[i] for v in qualified.values()) for i in (0, 1)]
    a_total = [sum(v[i] for v in arrivals.values()) for i in (0, 1)]
    return {
        "months": periods,
        "qualified_share": [pct(*qualified[m]) if qualified[m][1] else None for m in periods],
        "qualified": q_total[0],
        "approved": q_total[1],
        "qualified_total_share": pct(*q_total),
        "north_east": [arrivals[m][0] for m in periods],
        "arrivals": [arrivals[m][1] for m in periods],
        "north_east_total": a_total[0],
        "arrivals_total": a_total[1],
        "north_east_share": pct(*a_total),
        "north_east_regions": sorted(regions[code].name for code in north_east),
    }


def product_label(code: str) -> str:
    return str(dict(Product.choices).get(code, "")) if code else _("All products")
