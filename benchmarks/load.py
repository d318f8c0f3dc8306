"""Load test: 50 virtual users against gunicorn + PostgreSQL + Redis on loopback.

    .venv/bin/python benchmarks/load.py                       # 120 s with think time, then 30 s saturation
    .venv/bin/python benchmarks/load.py --duration 30 --saturation 0 --users 10
    .venv/bin/python benchmarks/load.py --think 0             # saturation only: no pauses at all
    .venv/bin/python benchmarks/load.py --write-docs          # also updates docs/benchmarks.md "Load"

Think time: a real user reads a page before asking for the next one. Each virtual user
pauses a uniformly random time between pages (``--think 1-3``: 1 to 3 s, like locust's
``between(1, 3)``), starting at a random moment within the first pause so the users do not
move in lockstep. The figures of that phase are what a user waits for a page. ``--think 0``
drops the pauses: every user fires its next request as soon as the last one is answered,
which measures throughput (saturation), and its latency is mostly time spent queueing for
the cores (Little's law). By default a saturation phase of ``--saturation`` seconds (30)
follows the think-time phase, with the same users and pages, so one run reports both.

It creates (and afterwards drops) its own PostgreSQL database, migrates it, seeds users
and applications, starts gunicorn on a free loopback port with the Redis cache, signs
every virtual user in through the real forms (staff also through the TOTP page), then
runs the mix until the time is up: bounded in time and in requests, loopback only.

Mix (per virtual user, by role): anonymous visitors read the start page, the sign-in page
and the self-check when it exists; applicants their account and data pages; staff the
case queue (the casework queue page when it exists, else the admin's application list),
in a queue that covers every seeded case, so the queue page shows a full page of cases.
A baseline phase first measures a static file through the same gunicorn, so the figures
come with a ratio against "the server doing nothing" in the same run.
"""

import argparse
import asyncio
import math
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
    # Every caseworker works a queue covering all cases: the queue page lists a full page.
    from applications.models import Queue

    Queue.objects.create(name="All cases (load test)").caseworkers.add(*staff_users)
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
    # What went wrong, by kind ("HTTP 500", "ReadTimeout"...), to tell server errors from client ones.
    error_kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    retried: int = 0
    count: int = 0


def parse_think(text: str) -> tuple[float, float]:
    """ "1-3" -> (1.0, 3.0); "2" -> (2.0, 2.0); "0" -> no think time."""
    low, _, high = text.partition("-")
    bounds = (float(low), float(high or low))
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise argparse.ArgumentTypeError(f"think time must be MIN-MAX seconds with 0 <= MIN <= MAX, not {text!r}")
    return bounds


def think_label(think: tuple[float, float]) -> str:
    if think[1] == 0:
        return "no think time"
    if think[0] == think[1]:
        return f"think time {think[0]:g} s"
    return f"think time uniform {think[0]:g}–{think[1]:g} s"


async def virtual_user(
    client: httpx.AsyncClient, paths: list[str], deadline: float, results: Results, think: tuple[float, float]
) -> None:
    if think[1] > 0:
        # Arrive at a random moment within one pause, not all at once.
        await asyncio.sleep(random.uniform(0, think[1]))
    while time.monotonic() < deadline and results.count < MAX_REQUESTS:
        path = random.choice(paths)
        start = time.perf_counter()
        try:
            try:
                response = await client.get(path)
            except httpx.RemoteProtocolError:
                # The server closed this idle keep-alive connection just as the request went
                # out; a browser then resends the GET on a new connection, and so do we (once,
                # counted, and the time of both attempts is the request's latency).
                results.retried += 1
                response = await client.get(path)
            ok = response.status_code < 400
            kind = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            ok, kind = False, type(exc).__name__
        results.latencies[path].append(time.perf_counter() - start)
        results.count += 1
        if not ok:
            results.errors[path] += 1
            results.error_kinds[kind] += 1
        if think[1] > 0:
            await asyncio.sleep(min(random.uniform(*think), max(0.0, deadline - time.monotonic())))


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


async def phase(
    clients: list[tuple[httpx.AsyncClient, list[str]]], seconds: float, think: tuple[float, float] = (0.0, 0.0)
) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(virtual_user(client, paths, deadline, results, think) for client, paths in clients))
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
        "error_kinds": dict(results.error_kinds),
        "retried": results.retried,
        "by_path": {
            path: (len(v), percentile(v, 50) * 1000, percentile(v, 95) * 1000, results.errors.get(path, 0))
            for path, v in sorted(results.latencies.items())
        },
    }


async def load(
    base: str, users: int, duration: float, seeded: dict, think: tuple[float, float], saturation: float
) -> dict:
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
    mixed, elapsed = await phase(clients, duration, think)
    result = {
        "baseline": summary(baseline, baseline_elapsed),
        "mixed": summary(mixed, elapsed),
        "duration": elapsed,
        "think": think,
        "paths": sorted({p for _, paths in clients for p in paths}),
    }
    if think[1] > 0 and saturation > 0:
        saturated, saturated_elapsed = await phase(clients, saturation)
        result["saturation"] = summary(saturated, saturated_elapsed)
        result["saturation_duration"] = saturated_elapsed
    for client, _ in clients:
        await client.aclose()
    return result


def machine_info(workers: int, threads: int, keep_alive: int) -> str:
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
        f"(gthread, keep-alive {keep_alive:g} s), load generator in the same machine (asyncio + httpx, one process)"
    )


def _row(label: str, figures: dict) -> str:
    return (
        f"| {label} | {figures['requests']} | {figures['rps']:.0f} | {figures['p50']:.1f} | {figures['p95']:.1f} | "
        f"{figures['p99']:.1f} | {figures['errors']} |"
    )


def report(result: dict, users: int, machine: str) -> str:
    mixed, base, think = result["mixed"], result["baseline"], result["think"]
    saturated = result.get("saturation")
    main_label = think_label(think)
    lines = [
        "## Load",
        "",
        f"`benchmarks/load.py`: {users} concurrent virtual users against gunicorn + PostgreSQL + Redis on loopback,",
        f"{result['duration']:.0f} s with {main_label} between pages"
        + (f", then {result['saturation_duration']:.0f} s with no think time (saturation)" if saturated else "")
        + f"; run on {time.strftime('%Y-%m-%d', time.gmtime())}. Machine: {machine}.",
        "",
        f"Command: `{result['command']}`.",
        "",
        "| phase | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        _row("baseline: static CSS through the same gunicorn, no think time", base),
        _row(f"mixed pages, {main_label}", mixed),
    ]
    if saturated:
        lines.append(_row("mixed pages, no think time (saturation)", saturated))
    throughput = saturated or (mixed if think[1] == 0 else None)
    lines += [
        "",
        f"Machine load average (1 min) {result['loadavg'][0]:.1f} before and {result['loadavg'][1]:.1f} after the run:",
        "the 2 cores are shared with the load generator and with whatever else runs on the machine.",
    ]
    if throughput:
        lines.append(
            f"At saturation the mixed pages are served at {throughput['rps'] / base['rps']:.2f}x the baseline's rate."
        )
    lines += [
        "",
        f"Per path, {main_label}:",
        "",
        "| path | requests | p50 ms | p95 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for path, (count, p50, p95, errors) in mixed["by_path"].items():
        lines.append(f"| `{path}` | {count} | {p50:.1f} | {p95:.1f} | {errors} |")
    kinds = {
        label: figures["error_kinds"]
        for label, figures in (("baseline", base), (main_label, mixed), ("saturation", saturated or {}))
        if figures.get("error_kinds")
    }
    if kinds:
        lines += ["", "Errors by kind: " + "; ".join(f"{label}: {errors}" for label, errors in kinds.items()) + "."]
    retried = base["retried"] + mixed["retried"] + (saturated or {}).get("retried", 0)
    lines += [
        "",
        f"Requests resent once because the server closed their idle keep-alive connection as they were sent"
        f" (as browsers do): {retried}.",
    ]
    lines.append("")
    if think[1] > 0:
        mean_think = sum(think) / 2
        lines += [
            f"Reading the figures: with {main_label} each user asks for at most one page per",
            f"{mean_think:.0f} s or so ({users} users ≈ {users / mean_think:.0f} requests/s offered;"
            f" measured {mixed['rps']:.0f}),",
            "the way people use the portal, so the latency of that phase is what a user waits for a page",
            "on this machine, and is the figure the issue's target (p95 under 300 ms) applies to.",
        ]
    if throughput:
        lines += [
            "Without think time the latency is queueing (Little's law:"
            f" {users} users / {throughput['rps']:.0f} requests/s ≈ {users / throughput['rps']:.2f} s per request",
            "on average): that phase measures the throughput of the cores, shared with the load generator,",
            "not the cost of one page.",
        ]
    lines.append("")
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
    parser.add_argument(
        "--think",
        type=parse_think,
        default="1-3",
        help="pause between a user's pages, MIN-MAX seconds, uniform (default 1-3); 0 for none (saturation)",
    )
    parser.add_argument(
        "--saturation",
        type=float,
        default=30.0,
        help="seconds of a second, no-think-time phase after a think-time one (default 30; 0 to skip)",
    )
    # One gthread worker per core with 8 threads (threads overlap the database round trips):
    # on the 2-core machine it out-served 4 x 4, 3 x 4 and 2 x 4 (docs/operations.md).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=None,
        help="gunicorn's idle keep-alive, seconds (default: the longest think time + 2, at least 5)",
    )
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    duration = min(args.duration, 600.0)
    # A connection idle longer than gunicorn's keep-alive is closed by the server; a request
    # sent on it at that moment fails ("server disconnected"). Browsers retry such a request,
    # httpx does not: keep connections open across a user's pause, as a front proxy would.
    keep_alive = args.keep_alive if args.keep_alive is not None else max(5, math.ceil(args.think[1]) + 2)
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
            + ["-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads), "--log-level", "warning"]
            + ["--keep-alive", str(keep_alive)],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        ready_by = time.monotonic() + 120  # a busy machine boots the workers slowly
        while True:
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > ready_by:
                raise RuntimeError("gunicorn did not start; see var/load-gunicorn.log")
            time.sleep(0.5)
        load_before = os.getloadavg()[0]
        result = asyncio.run(load(base, args.users, duration, seeded, args.think, min(args.saturation, 600.0)))
        result["loadavg"] = (load_before, os.getloadavg()[0])
        result["command"] = " ".join([".venv/bin/python benchmarks/load.py", *sys.argv[1:]])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    section = report(result, args.users, machine_info(args.workers, args.threads, keep_alive))
    print(section)
    for name in ("mixed", "saturation"):
        if name in result:
            figures = result[name]
            label = think_label(result["think"]) if name == "mixed" else "no think time"
            print(
                f"{label}: requests/s {figures['rps']:.1f}  p50 {figures['p50']:.1f} ms  p95 {figures['p95']:.1f} ms  "
                f"p99 {figures['p99']:.1f} ms  errors {figures['errors']}"
            )
    if args.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
