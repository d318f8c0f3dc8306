"""Every lookup of the busy pages, EXPLAINed at 100,000 and at 1,000,000 cases (issue 14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_explain .venv/bin/python benchmarks/explain_pages.py
    ... benchmarks/explain_pages.py --sizes 100000,1000000 --write-docs

A page's SQL is not written in one place (selectors, templates, the session, middleware), so
this does not list queries by hand: it opens each page as the role that uses it, captures
every SELECT the request ran, and runs each through ``EXPLAIN (ANALYZE, FORMAT JSON)``. A
sequential scan of a table that holds more than ``--big`` rows is a lookup that grows with
the pool; the report names it with the page and the query, and the script exits non-zero.

The pool: ``seed_demo`` builds a few hundred cases through the real services, then plain SQL
copies them (and their owners, score rows, documents and audit entries) in batches up to each
size, with fresh ids, e-mails, passport numbers and references, so that every owner and
passport stays as selective as in a real pool. The database is a scratch one: it is created
if missing and grows across sizes; drop it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_DEMO_MODE", "1")

from benchmarks.bench_queue import _ensure_database  # noqa: E402

SCAN_NODES = {"Seq Scan", "Parallel Seq Scan"}
# Seeded rows have ids below STRIDE; batch b's copy of row n gets id n + b * STRIDE (all ids are bigint).
STRIDE = 1_000_000


@dataclass
class PageReport:
    page: str
    queries: int = 0
    db_ms: float = 0.0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    scans: list[str] = field(default_factory=list)


# --- Growing the pool with SQL ---------------------------------------------------------------------
def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _clone(cursor, model, batches: range, overrides: dict[str, str], where: str = "TRUE") -> None:
    """INSERT ... SELECT every seeded row once per batch ``b``, its primary key moved by ``b * STRIDE``."""
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = _columns(model)
    values = {c: f's."{c}"' for c in columns}
    values[pk] = f's."{pk}" + b * {STRIDE}'
    values.update(overrides)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(
        f'INSERT INTO "{table}" ({names}) '  # noqa: S608 - our own identifiers
        f"SELECT {', '.join(values[c] for c in columns)} "
        f'FROM "{table}" s CROSS JOIN generate_series({batches.start}::bigint, {batches.stop - 1}) AS b '
        f'WHERE s."{pk}" < {STRIDE} AND ({where})'
    )


def _reset_sequence(cursor, model) -> None:
    table, pk = model._meta.db_table, model._meta.pk.column
    cursor.execute(f"SELECT pg_get_serial_sequence('\"{table}\"', '{pk}')")
    sequence = cursor.fetchone()[0]
    if sequence:  # a one-to-one primary key has none
        cursor.execute(f'SELECT setval(%s, (SELECT MAX("{pk}") FROM "{table}"))', [sequence])  # noqa: S608


def grow_to(size: int) -> int:
    """Copy the seeded cases in batches until the pool holds about ``size`` applications."""
    from django.db import connection, transaction

    from applications.models import Application, ApplicationScore, Document
    from portal.audit.models import AuditEvent
    from portal.models import User

    base = Application.objects.filter(pk__lt=STRIDE).count()
    have = Application.objects.count()
    first, last = have // base, size // base  # batch 0 is the seeded pool itself
    if last < first + 1:
        return have
    batches = range(first, last)
    owners = f"s.id IN (SELECT owner_id FROM applications_application WHERE id < {STRIDE})"
    moved = f"+ b * {STRIDE}"
    with transaction.atomic(), connection.cursor() as cursor:
        # The audit trail is append-only by trigger; a scratch copy of it is not an edit of it.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _clone(
            cursor,
            User,
            batches,
            {"email": "'b' || b || '.' || s.email", "username": "'b' || b || '.' || s.username"},
            where=owners,
        )
        _clone(
            cursor,
            Application,
            batches,
            {
                "owner_id": f"s.owner_id {moved}",
                "reference": "CASE WHEN s.reference IS NULL THEN NULL ELSE 'B' || b || '-' || s.id END",
                "passport_number": "CASE WHEN s.passport_number = '' THEN '' ELSE s.passport_number || b END",
                "claimed_by_id": "NULL",
                "state": "CASE WHEN s.state IN ('in_review', 'second_review') THEN 'submitted' ELSE s.state END",
            },
        )
        _clone(cursor, ApplicationScore, batches, {})
        _clone(
            cursor,
            Document,
            batches,
            {"application_id": f"s.application_id {moved}", "sha256": "md5(s.sha256 || b) || md5(b || s.sha256)"},
        )
        _clone(
            cursor,
            AuditEvent,
            batches,
            {
                "application_id": f"s.application_id {moved}",  # NULL stays NULL
                "object_id": "s.object_id || '.' || b",
                "seq": f"s.seq {moved}",
            },
        )
        for model in (User, Application, Document, AuditEvent):
            _reset_sequence(cursor, model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Application.objects.count()


# --- Pages, EXPLAINed ------------------------------------------------------------------------------
def pages() -> list[tuple[str, str, Callable[[], str]]]:
    """(page, user e-mail, URL) for each busy page, with a case in the user's reach."""
    from applications.models import Application
    from applications.states import State

    def newest(owner_email: str | None = None, state: str | None = None) -> Application:
        rows = Application.objects.exclude(state=State.DRAFT)
        if owner_email:
            rows = rows.filter(owner__email=owner_email)
        if state:
            rows = rows.filter(state=state)
        return rows.order_by("-pk").first()

    def mine() -> Application:
        return newest("applicant@demo.kz")

    return [
        ("queue, default", "caseworker@demo.kz", lambda: "/casework/"),
        ("queue, filtered and sorted by score", "caseworker@demo.kz", lambda: "/casework/?sector=it&sort=score"),
        ("queue, name search", "caseworker@demo.kz", lambda: "/casework/?q=Nurlanova"),
        ("case page", "caseworker@demo.kz", lambda: f"/casework/cases/{newest(state=State.SUBMITTED).pk}/"),
        ("senior queue", "senior@demo.kz", lambda: "/casework/"),
        ("applicant: my applications", "applicant@demo.kz", lambda: "/applications/"),
        (
            "applicant: status page",
            "applicant@demo.kz",
            lambda: f"/applications/{newest('applicant@demo.kz').pk}/status/",
        ),
        ("applicant: inbox", "applicant@demo.kz", lambda: "/notifications/"),
        ("API: my applications", "applicant@demo.kz", lambda: "/api/v1/applications/"),
        ("admin: audit trail (auditor)", "auditor@demo.kz", lambda: "/admin/audit/auditevent/"),
    ]


def _client_for(email: str):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    if user.is_staff:  # staff pages need the second factor, as after the verification page
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="explain", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _statements(sql: str) -> list[str]:
    """The statements of one execute (the queue page sends an EXPLAIN and its rows query in one
    round trip). A page's own EXPLAIN only plans its query, so it is not examined as a read."""
    return re.split(r";\s*(?=(?:SELECT|WITH|EXPLAIN)\b)", sql.strip(), flags=re.I)


def explain_page(name: str, email: str, url: str, big: int, sizes_of: dict[str, float]) -> PageReport:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client_for(email)
    client.get(url)  # warm: caches, session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{name}: {url} answered {response.status_code}")
    report = PageReport(page=name)
    with connection.cursor() as cursor:
        for sql in (part for query in captured.captured_queries for part in _statements(query["sql"])):
            if not re.match(r"\s*(SELECT|WITH)\b", sql, re.I):
                continue
            report.queries += 1
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            result = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            ms = result["Execution Time"]
            report.db_ms += ms
            if ms > report.slowest_ms:
                report.slowest_ms, report.slowest_sql = ms, sql
            for node in _nodes(result["Plan"]):
                table = node.get("Relation Name", "")
                if node["Node Type"] in SCAN_NODES and sizes_of.get(table, 0) > big:
                    report.scans.append(f"{node['Node Type']} on {table} ({ms:.1f} ms): {sql[:160]}")
    return report


def table_sizes() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="pool sizes (applications), ascending")
    parser.add_argument("--seed", type=int, default=300, help="cases seed_demo builds through the services")
    parser.add_argument("--big", type=int, default=10_000, help="a sequential scan above this many rows is flagged")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... (EXPLAIN needs PostgreSQL)")
    _ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from applications.models import Application

    call_command("migrate", verbosity=0)
    if not Application.objects.exists():
        call_command("seed_criteria", verbosity=0)
        call_command("seed_demo", force=True, applications=args.seed, verbosity=0)
    results: dict[int, list[PageReport]] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.monotonic()
        total = grow_to(size)
        print(f"\npool: {total:,} applications (grown in {time.monotonic() - started:.0f} s)")
        sizes_of = table_sizes()
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
            reports = [explain_page(n, e, u(), args.big, sizes_of) for n, e, u in pages()]
        results[total] = reports
        for r in reports:
            print(f"  {r.page:<40} {r.queries:>3} SELECTs  {r.db_ms:>8.2f} ms  slowest {r.slowest_ms:>7.2f} ms")
            for scan in r.scans:
                print(f"      SCAN {scan}")
    section = report(results, connection.pg_version)
    print("\n" + section)
    if args.write_docs:
        write_docs(section)
    if any(r.scans for reports in results.values() for r in reports):
        sys.exit("sequential scans of large tables: see SCAN lines above")


def report(results: dict[int, list[PageReport]], pg_version: int) -> str:
    sizes = list(results)
    lines = [
        f"`explain_pages.py` on PostgreSQL {pg_version // 10000}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}. Database time is the sum "
        "of EXPLAIN ANALYZE's execution times of the page's SELECTs (planning and Django excluded).",
        "",
        "| page | SELECTs | " + " | ".join(f"DB ms at {s:,}" for s in sizes) + " | sequential scans of large tables |",
        "|---|---|" + "---|" * len(sizes) + "---|",
    ]
    by_page = {r.page: [results[s][i] for s in sizes] for i, r in enumerate(results[sizes[0]])}
    for page, rows in by_page.items():
        scans = sorted({scan.split(" (")[0] for r in rows for scan in r.scans}) or ["none"]
        counts = "/".join(sorted({str(r.queries) for r in rows}))
        lines.append(
            f"| {page} | {counts} | " + " | ".join(f"{r.db_ms:.2f}" for r in rows) + f" | {'; '.join(scans)} |"
        )
    return "\n".join(lines)


def write_docs(section: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    start, end = "<!-- explain -->", "<!-- /explain -->"
    block = f"{start}\n{section}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Lookups at 100,000 and 1,000,000 cases\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
