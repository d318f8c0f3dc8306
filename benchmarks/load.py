"""Load test: 50 virtual users against gunicorn + PostgreSQL + Redis on loopback.

    .venv/bin/python benchmarks/load.py                       # 120 s, 50 users, prints figures
    .venv/bin/python benchmarks/load.py --duration 20 --users 10
    .venv/bin/python benchmarks/load.py --write-docs          # also updates docs/benchmarks.md "Load"

It creates (and afterwards drops) its own PostgreSQL database, migrates it, seeds users
and applications, starts gunicorn on a free loopback port with the Redis cache, signs
every virtual user in through the real forms (staff also through the TOTP page), then
runs the mix until the time is up: bounded in time and in requests, loopback only.

Mix (per virtual user, by role): anonymous visitors read the start page, the sign-in page
and the self-check when it exists; applicants their account and data pages; staff the
case queue (the casework queue page when it exists, else the admin's application list).
A baseline phase first measures a static file through the same gunicorn, so the figures
come with a ratio against "the server doing nothing" in the same run.
"""

import argparse
import asyncio
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-Password-2026"  # noqa: S105 - throwaway accounts in a throwaway database
MAX_REQUESTS = 2_000_000  # hard bound on top of the duration
OPTIONAL_PATHS = {
    "anonymous": ["/check/", "/self-check/", "/eligibility/self-check/"],
    "staff": ["/casework/", "/casework/queue/", "/queue/"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=60,
    )


def seed(env: dict[str, str], *, applicants: int, staff: int, applications: int) -> dict:
    """Users and applications, via Django in this process; returns the staff TOTP keys."""
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from applications.models import Application
    from applications.states import State
    from applications.workflow import state_writes_for_seeding
    from portal import roles
    from portal.models import User

    hashed = make_password(PASSWORD)
    now = timezone.now()
    applicant_users = User.objects.bulk_create(
        [User(email=f"applicant{i}@load.test", password=hashed, email_verified_at=now) for i in range(applicants)]
    )
    staff_users = User.objects.bulk_create(
        [User(email=f"caseworker{i}@load.test", password=hashed, is_staff=True) for i in range(staff)]
    )
    Group.objects.get(name=roles.APPLICANT).user_set.add(*applicant_users)
    caseworkers = Group.objects.get(name=roles.CASEWORKER)
    caseworkers.user_set.add(*staff_users)
    # The admin's list needs the model permission too (the role grants view_application).
    keys = {}
    for user in staff_users:
        device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
        keys[user.email] = device.bin_key
    states = [State.SUBMITTED, State.IN_REVIEW, State.AWAITING_APPLICANT, State.RECOMMENDED, State.DRAFT]
    rows = [
        Application(
            product=random.choice(["kandas_card", "skills_visa"]),
            owner=applicant_users[i % applicants],
            state=states[i % len(states)],
            applicant_name=f"Applicant {i}",
            passport_number=f"N{i:08d}",
            submitted_at=now,
            answers={"personal": {"date_of_birth": "1988-04-12"}},
        )
        for i in range(applications)
    ]
    with state_writes_for_seeding():
        Application.objects.bulk_create(rows, batch_size=1000)
    return {"applicants": [u.email for u in applicant_users], "staff": keys}


def totp_token(key: bytes) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(key).token():06d}"


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


async def sign_in(client: httpx.AsyncClient, email: str, key: bytes | None) -> None:
    page = await client.get("/accounts/login/")
    response = await client.post(
        "/accounts/login/", data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_from(page.text)}
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed for {email}: {response.status_code}")
    if key is not None:
        page = await client.get("/accounts/two-factor/verify/")
        response = await client.post(
            "/accounts/two-factor/verify/",
            data={"otp_token": totp_token(key), "csrfmiddlewaretoken": csrf_from(page.text)},
        )
        if response.status_code != 302:
            raise RuntimeError(f"TOTP verification failed for {email}: {response.status_code}")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    count: int = 0


async def virtual_user(client: httpx.AsyncClient, paths: list[str], deadline: float, results: Results) -> None:
    while time.monotonic() < deadline and results.count < MAX_REQUESTS:
        path = random.choice(paths)
        start = time.perf_counter()
        try:
            response = await client.get(path)
            ok = response.status_code < 400
        except httpx.HTTPError:
            ok = False
        results.latencies[path].append(time.perf_counter() - start)
        results.count += 1
        if not ok:
            results.errors[path] += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


async def probe(base: str, paths: list[str], cookies: httpx.Cookies | None = None) -> list[str]:
    found = []
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=10) as client:
        for path in paths:
            if (await client.get(path)).status_code == 200:
                found.append(path)
    return found


async def phase(clients: list[tuple[httpx.AsyncClient, list[str]]], seconds: float) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(virtual_user(client, paths, deadline, results) for client, paths in clients))
    return results, time.monotonic() - started


def summary(results: Results, elapsed: float) -> dict:
    everything = [x for values in results.latencies.values() for x in values]
    return {
        "requests": results.count,
        "rps": results.count / elapsed,
        "p50": percentile(everything, 50) * 1000,
        "p95": percentile(everything, 95) * 1000,
        "p99": percentile(everything, 99) * 1000,
        "errors": sum(results.errors.values()),
        "by_path": {
            path: (len(v), percentile(v, 50) * 1000, percentile(v, 95) * 1000, results.errors.get(path, 0))
            for path, v in sorted(results.latencies.items())
        },
    }


async def load(base: str, users: int, duration: float, seeded: dict) -> dict:
    limits = httpx.Limits(max_connections=users + 10)
    anonymous_paths = ["/", "/accounts/login/"]
    anonymous_paths += await probe(base, OPTIONAL_PATHS["anonymous"])
    clients: list[tuple[httpx.AsyncClient, list[str]]] = []
    staff_emails = list(seeded["staff"])
    # One in five users is staff, two in five applicants, the rest anonymous visitors.
    for i in range(users):
        client = httpx.AsyncClient(base_url=base, timeout=30, limits=limits)
        kind = "staff" if i % 5 == 0 else ("applicant" if i % 5 in (1, 2) else "anonymous")
        if kind == "staff":
            email = staff_emails[i // 5 % len(staff_emails)]
            await sign_in(client, email, seeded["staff"][email])
            queue = await probe(base, OPTIONAL_PATHS["staff"], client.cookies) or ["/admin/applications/application/"]
            paths = ["/dashboard/", *queue, *queue]
        elif kind == "applicant":
            await sign_in(client, seeded["applicants"][i % len(seeded["applicants"])], None)
            paths = ["/dashboard/", "/applications/", "/accounts/my-data/", "/"]
        else:
            paths = anonymous_paths
        clients.append((client, paths))
    baseline_clients = [(client, ["/static/portal/portal.css"]) for client, _ in clients]
    baseline, baseline_elapsed = await phase(baseline_clients, min(15.0, duration / 4))
    mixed, elapsed = await phase(clients, duration)
    for client, _ in clients:
        await client.aclose()
    return {
        "baseline": summary(baseline, baseline_elapsed),
        "mixed": summary(mixed, elapsed),
        "duration": elapsed,
        "paths": sorted({p for _, paths in clients for p in paths}),
    }


def machine_info(workers: int, threads: int) -> str:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB"
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split(" sha=")[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {pg}, {redis.strip()}; gunicorn {workers} workers x {threads} threads "
        "(gthread), load generator in the same machine (asyncio + httpx, one process)"
    )


def report(result: dict, users: int, machine: str) -> str:
    mixed, base = result["mixed"], result["baseline"]
    lines = [
        "## Load",
        "",
        f"`benchmarks/load.py`: {users} concurrent virtual users for {result['duration']:.0f} s against gunicorn +",
        "PostgreSQL + Redis on loopback, no think time. Machine: " + machine + ".",
        "",
        "| phase | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| baseline: static CSS through the same gunicorn | {base['requests']} | {base['rps']:.0f} | "
        f"{base['p50']:.1f} | {base['p95']:.1f} | {base['p99']:.1f} | {base['errors']} |",
        f"| mixed pages | {mixed['requests']} | {mixed['rps']:.0f} | {mixed['p50']:.1f} | {mixed['p95']:.1f} | "
        f"{mixed['p99']:.1f} | {mixed['errors']} |",
        "",
        f"Mixed pages served at {mixed['rps'] / base['rps']:.2f}x the baseline's rate. Machine load average "
        f"(1 min) {result['loadavg'][0]:.1f} before and {result['loadavg'][1]:.1f} after the run: the 2 cores are "
        "shared with the load generator and with whatever else runs on the machine.",
        "",
        "| path | requests | p50 ms | p95 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for path, (count, p50, p95, errors) in mixed["by_path"].items():
        lines.append(f"| `{path}` | {count} | {p50:.1f} | {p95:.1f} | {errors} |")
    lines += [
        "",
        f"Reading the load figures: with {users} users and no think time, latency is queueing (Little's law:",
        f"{users} users / {mixed['rps']:.0f} requests/s ≈ {users / mixed['rps']:.2f} s per request on average), so it",
        "measures the throughput of the machine's cores, shared with the load generator, not the cost of one page.",
        "The issue's target (p95 under 300 ms) is to be judged on a quiet machine with the load generator elsewhere.",
        "",
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"## Load\n.*?(?=\n## |\Z)", re.DOTALL)
    text = pattern.sub(section.rstrip() + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of mixed load (max 600)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    duration = min(args.duration, 600.0)
    if shutil.which("psql") is None or shutil.which("redis-server") is None:
        sys.exit("needs PostgreSQL (psql) and Redis on loopback")

    db = f"portal_load_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "CELERY_BROKER_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "DJANGO_DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PORTAL_STATIC_ROOT": str(ROOT / "var" / "load-static"),
    }
    psql(f"CREATE DATABASE {db}")
    server = None
    try:
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        run([sys.executable, "manage.py", "i18n", "--compile"], env)
        seeded = seed(env, applicants=200, staff=max(1, args.users // 5), applications=args.applications)
        port = free_port()
        server_log = (ROOT / "var" / "load-gunicorn.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{port}"]
            + ["-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        load_before = os.getloadavg()[0]
        result = asyncio.run(load(base, args.users, duration, seeded))
        result["loadavg"] = (load_before, os.getloadavg()[0])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    section = report(result, args.users, machine_info(args.workers, args.threads))
    print(section)
    mixed = result["mixed"]
    print(
        f"requests/s {mixed['rps']:.1f}  p50 {mixed['p50']:.1f} ms  p95 {mixed['p95']:.1f} ms  "
        f"p99 {mixed['p99']:.1f} ms  errors {mixed['errors']}"
    )
    if args.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
