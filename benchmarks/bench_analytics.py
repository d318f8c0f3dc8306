"""Analytics dashboard latency on PostgreSQL: aggregate tables against a naive GROUP BY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python benchmarks/bench_analytics.py

Creates and migrates the database if needed, seeds up to --applications cases (bulk, reused on
later runs) and rebuilds the aggregate tables (``analytics_rebuild``: the bulk seed bypasses the
workflow observer). Then times, interleaved, --requests rounds of:
- the flows dashboard page as the demo analyst (test client: middleware, session, template);
- the flows figures from the aggregate tables (``selectors.flows``), the page's one query;
- the same figures by a naive GROUP BY over the audit trail joined to the cases (what the
  dashboards would run without the aggregate tables),
unfiltered and filtered by product, and prints median / p95 and the naive / aggregate ratio.
Results go to docs/benchmarks.md ("Analytics").
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_DEMO_MODE", "1")
os.environ.setdefault("DB_CONN_MAX_AGE", "60")


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... (the benchmark runs on PostgreSQL)")
    _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, applications=0, verbosity=0)

    from applications.analytics import selectors
    from applications.analytics.forms import DEFAULT_MONTHS, month_start
    from applications.analytics.services import analytics_rebuild
    from applications.demo_seed import seed_applications
    from applications.models import Application
    from portal.audit.models import AuditEvent
    from portal.models import User

    have = Application.objects.count()
    if have < args.applications:
        started = time.monotonic()
        seed_applications(args.applications - have, rng_seed=have + 1)
        print(f"seeded {args.applications - have} applications in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    rows = analytics_rebuild()
    print(f"rebuilt the aggregate tables in {time.monotonic() - started:.1f} s: {rows}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Application.objects.count()
    events = AuditEvent.objects.filter(application__isnull=False).count()

    last = month_start(timezone.localdate())
    first = month_start(last, DEFAULT_MONTHS - 1)
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    # Month boundaries in the portal's time zone, as the aggregate rows are keyed.
    since, until = (timezone.make_aware(datetime.combine(d, datetime.min.time())) for d in (first, end))
    base = {"product": "", "month_from": first, "month_to": last, "region": "", "sector": "", "citizenship": ""}
    base["occupation"] = ""
    product = {**base, "product": "kandas_card"}

    def naive(filters: dict) -> dict:
        """The flows figures straight from the raw rows: every event of the period, grouped."""
        qs = AuditEvent.objects.filter(
            application__isnull=False,
            action__in=list(selectors.FLOW_EVENTS),
            created_at__gte=since,
            created_at__lt=until,
        )
        if filters["product"]:
            qs = qs.filter(application__product=filters["product"])
        rows = qs.annotate(m=TruncMonth("created_at")).values("m", "action").annotate(n=Count("id"))
        return {(r["m"], r["action"]): r["n"] for r in rows}

    # The two must agree before their speeds are compared.
    for filters in (base, product):
        from_tables = selectors.flows(filters)["totals"]
        raw: dict[str, int] = {}
        for (_month, action), count in naive(filters).items():
            raw[action] = raw.get(action, 0) + count
        assert all(from_tables[e] == raw.get(e, 0) for e in selectors.FLOW_EVENTS), (from_tables, raw)

    client = Client()
    analyst = User.objects.get(email="analyst@demo.kz")
    client.force_login(analyst)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=analyst, name="benchmark", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def page(query: str):
        def run() -> None:
            assert client.get(f"/staff/analytics/flows/{query}").status_code == 200

        return run

    targets = {
        "flows page (12 months, all products)": page(""),
        "flows page (product filter)": page("?product=kandas_card"),
        "aggregate tables, all products": lambda: selectors.flows(base),
        "naive GROUP BY, all products": lambda: naive(base),
        "aggregate tables, product filter": lambda: selectors.flows(product),
        "naive GROUP BY, product filter": lambda: naive(product),
    }
    timings: dict[str, list[float]] = {name: [] for name in targets}
    for run in targets.values():  # warm-up
        run()
    for _ in range(args.requests):
        for name, run in targets.items():
            started = time.perf_counter()
            run()
            timings[name].append((time.perf_counter() - started) * 1000)

    print(f"\n{total} applications, {events} audit events, {args.requests} rounds, PostgreSQL {connection.pg_version}")
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'what':<52} {'median ms':>9} {'p95 ms':>7}")
    for name, values in timings.items():
        print(f"{name:<52} {statistics.median(values):>9.2f} {_percentile(values, 95):>7.2f}")
    for label in ("all products", "product filter"):
        agg = _percentile(timings[f"aggregate tables, {label}"], 95)
        raw_p95 = _percentile(timings[f"naive GROUP BY, {label}"], 95)
        print(f"p95 naive / aggregate ({label}): {raw_p95 / agg:.1f}x")


if __name__ == "__main__":
    main()
