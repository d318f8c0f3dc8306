"""Queue page latency with 100,000 applications on PostgreSQL, against a bare one-query view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python benchmarks/bench_queue.py

Creates and migrates the database if needed, seeds up to --applications cases (bulk, reused on
later runs), then times --requests GETs of the queue page (as the demo caseworker, through
Django's test client: middleware, session, template) and of the bare view, interleaved, and
prints median / p95 and their ratio. Results go to docs/benchmarks.md ("Queue").
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_DEMO_MODE", "1")
# Persistent connections, as production runs (gunicorn + DB_CONN_MAX_AGE); for both views alike.
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
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... (the benchmark runs on PostgreSQL)")
    _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, applications=0, verbosity=0)

    from applications.demo_seed import seed_applications
    from applications.models import Application
    from portal.models import User

    have = Application.objects.count()
    if have < args.applications:
        started = time.monotonic()
        seed_applications(args.applications - have, rng_seed=have + 1)
        print(f"seeded {args.applications - have} applications in {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        # As autovacuum would have by now: the cases, and statistics for every table the seed
        # filled (requests for information, documents...), which a fresh bulk load lacks.
        cursor.execute("VACUUM ANALYZE applications_application")
        cursor.execute("ANALYZE")
    total = Application.objects.count()

    # No setup_test_environment(): its instrumented template rendering would slow every page.
    client = Client()
    caseworker = User.objects.get(email="caseworker@demo.kz")
    client.force_login(caseworker)
    # Staff pages need the second factor: mark the session verified with a confirmed TOTP
    # device, as the verify page does (django_otp.login), so every request, the bare view's
    # too, loads the device through OTPMiddleware as a signed-in caseworker's would.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=caseworker, name="benchmark", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    urls = {
        "queue page (default sort)": "/casework/",
        "queue page (filters: product, sector, SLA breach, sort by score)": (
            "/casework/?product=kandas_card&sector=it&sla=breached&sort=score"
        ),
        "queue page (search by name)": "/casework/?q=Nurlanova",
        "queue page (page 20, the last the page offers)": "/casework/?page=20",
        "bare view (one indexed query)": "/bench/bare/",
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    cpu: dict[str, list[float]] = {name: [] for name in urls}  # this process only (not PostgreSQL)
    with override_settings(ROOT_URLCONF="benchmarks.bench_urls", DEBUG=False):
        for target in urls.values():  # warm-up
            assert client.get(target).status_code == 200, target
        for _ in range(args.requests):
            for name, target in urls.items():
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(target)
                timings[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - cpu_started) * 1000)
                assert response.status_code == 200

    bare = statistics.median(timings["bare view (one indexed query)"])
    bare_p95 = _percentile(timings["bare view (one indexed query)"], 95)
    print(f"\n{total} applications, {args.requests} requests each, PostgreSQL {connection.pg_version}")
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'page':<66} {'median ms':>9} {'p95 ms':>7} {'x bare':>7} {'x bare p95':>10} {'Django CPU ms':>13}")
    for name, values in timings.items():
        med, p95 = statistics.median(values), _percentile(values, 95)
        print(
            f"{name:<66} {med:>9.1f} {p95:>7.1f} {med / bare:>7.2f} {p95 / bare_p95:>10.2f}"
            f" {statistics.median(cpu[name]):>13.1f}"
        )


if __name__ == "__main__":
    main()
