"""Absorption: how many full submissions a minute the portal takes, end to end, with zero errors.

    .venv/bin/python benchmarks/bench_absorption.py                      # rates 10,20,40 per minute
    .venv/bin/python benchmarks/bench_absorption.py --rates 20,60,120 --step 60
    .venv/bin/python benchmarks/bench_absorption.py --web 2 --workers 2  # scale-out: separate ports
    .venv/bin/python benchmarks/bench_absorption.py --write-docs         # docs/benchmarks.md "Absorption"

Everything real and on loopback: its own PostgreSQL database (created, migrated, dropped),
Redis as broker and cache, ``--web`` gunicorn servers on separate ports (one gthread process
of 8 threads each, as separate machines would run them behind a balancer), ``--workers``
real ``celery worker`` processes (one pool process each). Arrivals come at stepped rates
(submissions per minute); each arrival is a whole journey through the pages: sign-up, the
e-mail link, sign-in, start, every section page (GET then POST), the documents page, the
scans its answers require (about 2.5 MB each) and a passport photo, the check page, submit,
the confirmation.
Twenty caseworkers (two-factor sign-in) meanwhile open the queue and a case from it, with
a pause of 0.5-1.5 s between pages.

Per step it reports: submissions absorbed per minute (submitted and fully processed within
the step and a bounded drain), pipeline lag from submit to every document ready, score stored
and e-mail sent (p50, p95), applicant and caseworker p95, errors (5xx, refused journeys,
exceptions), CPU-seconds per submission of web, worker and database (from /proc: the
gunicorn and celery process trees, and the PostgreSQL backends of this database), and the
load average before and after. The highest rate with 0 errors and caseworker p95 < 300 ms
is the result; docs/benchmarks.md compares its CPU-s with the budget of 0.7 CPU-s per
submission (10,000 an hour on 2 cores). Bounded: steps x (step + drain) seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The staff sign-in (password and TOTP) and the helpers of the load test.
from benchmarks.load import PASSWORD, csrf_from, free_port, percentile, psql, run, sign_in  # noqa: E402

CPU_BUDGET = 0.7  # CPU-s per submission: 2 cores x 3600 s / 10,000 submissions
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- Documents of realistic size ---------------------------------------------------------------
def make_scan(seed: int) -> bytes:
    """A phone scan of a page: about 2.5 MB of JPEG (8 MP, text-like detail and sensor noise)."""
    from PIL import Image, ImageChops, ImageDraw

    size = (3264, 2448)
    page = Image.new("L", size, 235)
    draw = ImageDraw.Draw(page)
    rng = random.Random(seed)
    for y in range(120, size[1] - 120, 38):
        x = 140
        while x < size[0] - 200:
            width = rng.randint(20, 140)
            draw.rectangle((x, y, x + width, y + 18), fill=rng.randint(10, 80))
            x += width + rng.randint(12, 30)
    noisy = ImageChops.add(page, Image.effect_noise(size, 28), scale=1.4, offset=-40)
    buffer = io.BytesIO()
    Image.merge("RGB", (noisy, noisy, ImageChops.add(noisy, Image.new("L", size, 6)))).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def make_photo(seed: int) -> bytes:
    """A passport photo that passes the pipeline's rules: 35:45, 826 x 1062, in colour."""
    from PIL import Image, ImageChops

    size = (826, 1062)
    red = Image.radial_gradient("L").resize(size)
    green = Image.linear_gradient("L").resize(size)
    blue = ImageChops.add(Image.effect_noise(size, 20 + seed % 5), red, scale=2.0)
    buffer = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- CPU from /proc -------------------------------------------------------------------------------
def proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime (children that exited are counted by their parent)
    return sum(int(v) for v in fields[11:15]) / CLOCK_TICKS


def tree(pid: int) -> list[int]:
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return pids


def tree_cpu(pid: int) -> float:
    return sum(proc_cpu(p) for p in tree(pid))


def postgres_cpu(db: str) -> dict[int, float]:
    """CPU of each PostgreSQL backend serving this benchmark's database (connections persist)."""
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atc"]
        + [f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.split()
    return {int(pid): proc_cpu(int(pid)) for pid in out}


# --- Journeys -------------------------------------------------------------------------------------
@dataclass
class Stats:
    applicant: list[float] = field(default_factory=list)
    caseworker: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    submitted: list[int] = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def timed(stats: Stats, bucket: list[float], coro, expect: tuple[int, ...], what: str):
    started = time.monotonic()
    response = await coro
    bucket.append(time.monotonic() - started)
    if response.status_code not in expect:
        stats.error(f"{what} {response.status_code}")
        raise JourneyFailed(what)
    return response


class JourneyFailed(Exception):
    pass


async def journey(base: str, n: int, stats: Stats, files: dict, pages: dict, token_for) -> None:
    email = f"absorb{n}-{random.randrange(10**9)}@load.test"
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        a = stats.applicant
        try:
            page = await timed(stats, a, client.get("/accounts/sign-up/"), (200,), "sign-up page")
            data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "preferred_language": "en"}
            data["csrfmiddlewaretoken"] = csrf_from(page.text)
            await timed(stats, a, client.post("/accounts/sign-up/", data=data), (302,), "sign-up")
            token = await asyncio.to_thread(token_for, email)  # the link in the e-mail
            await timed(stats, a, client.get(f"/accounts/verify/{token}/"), (200, 302), "verify")
            page = await timed(stats, a, client.get("/accounts/login/"), (200,), "sign-in page")
            data = {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_from(page.text)}
            await timed(stats, a, client.post("/accounts/login/", data=data), (302,), "sign-in")
            page = await timed(stats, a, client.get("/applications/new/"), (200,), "choose")
            data = {"product": "kandas_card", "csrfmiddlewaretoken": csrf_from(page.text)}
            started = await timed(stats, a, client.post("/applications/new/", data=data), (302,), "start")
            pk = int(re.search(r"/applications/(\d+)/", started.headers["location"]).group(1))
            csrf = client.cookies.get("csrftoken")
            for slug, answers in pages.items():
                url = f"/applications/{pk}/section/{slug}/"
                await timed(stats, a, client.get(url), (200,), "section page")
                data = {**answers, "action": "continue", "csrfmiddlewaretoken": csrf}
                await timed(stats, a, client.post(url, data=data), (302,), f"section {slug}")
            data = {"action": "confirm", "coming": "no", "csrfmiddlewaretoken": csrf}
            await timed(stats, a, client.post(f"/applications/{pk}/family/", data=data), (302,), "family")
            await timed(stats, a, client.get(f"/applications/{pk}/documents/"), (200,), "documents page")
            for kind, (name, content) in files.items():
                url = f"/applications/{pk}/documents/upload/{kind}/"
                upload = {"file": (name, content, "image/jpeg")}
                post = client.post(url, data={"csrfmiddlewaretoken": csrf}, files=upload)
                await timed(stats, a, post, (302,), f"upload {kind}")
            await timed(stats, a, client.get(f"/applications/{pk}/check/"), (200,), "check page")
            data = {"confirm": "on", "csrfmiddlewaretoken": csrf}
            await timed(stats, a, client.post(f"/applications/{pk}/check/", data=data), (302,), "submit")
            stats.submitted.append(pk)
            await timed(stats, a, client.get(f"/applications/{pk}/submitted/"), (200,), "confirmation")
        except JourneyFailed:
            pass
        except (httpx.HTTPError, AttributeError, KeyError) as exc:
            stats.error(type(exc).__name__)


async def caseworker(client: httpx.AsyncClient, stats: Stats, deadline: float) -> None:
    await asyncio.sleep(random.uniform(0, 1.5))
    while time.monotonic() < deadline:
        try:
            queue = await timed(stats, stats.caseworker, client.get("/casework/"), (200,), "queue")
            cases = re.findall(r'href="(/casework/cases/\d+/)"', queue.text)
            await asyncio.sleep(random.uniform(0.5, 1.5))
            if cases and time.monotonic() < deadline:
                await timed(stats, stats.caseworker, client.get(random.choice(cases)), (200,), "case")
        except JourneyFailed:
            pass
        except httpx.HTTPError as exc:
            stats.error(type(exc).__name__)
        await asyncio.sleep(random.uniform(0.5, 1.5))


async def sign_in_staff(bases: list[str], staff: list) -> list[httpx.AsyncClient]:
    """Caseworkers sign in once (password and TOTP), before any step is measured."""
    clients = []
    for i, (email, key) in enumerate(staff):
        client = httpx.AsyncClient(base_url=bases[i % len(bases)], timeout=60)
        await sign_in(client, email, key)
        clients.append(client)
    return clients


async def step(bases, clients, rate: float, seconds: float, files_for, pages, token_for) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    workers = [asyncio.create_task(caseworker(c, stats, deadline)) for c in clients]
    journeys = []
    n = 0
    interval = 60.0 / rate
    next_at = time.monotonic()
    while next_at < deadline:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        journeys.append(asyncio.create_task(journey(bases[n % len(bases)], n, stats, files_for(n), pages, token_for)))
        n += 1
        next_at += random.expovariate(1 / interval)  # Poisson arrivals at the step's rate
    await asyncio.gather(*workers, *journeys)
    return stats


# --- The pipeline, read from the database ---------------------------------------------------------
def pipeline_lags(ids: list[int]) -> dict[str, list[float]]:
    from django.db.models import Max

    from applications.models import Application, ApplicationScore, Document, Notification

    lags: dict[str, list[float]] = {"documents": [], "score": [], "email": []}
    submitted = dict(Application.objects.filter(pk__in=ids).values_list("pk", "submitted_at"))
    ready = {
        row["application"]: row["done"]
        for row in Document.objects.filter(application__in=ids)
        .values("application")
        .annotate(done=Max("processed_at"))
        .filter(application__in=ids)
    }
    pending = set(
        Document.objects.filter(application__in=ids)
        .exclude(status__in=[Document.Status.READY, Document.Status.REJECTED])
        .values_list("application", flat=True)
    )
    scored = dict(ApplicationScore.objects.filter(application__in=ids).values_list("application", "scored_at"))
    mailed = {
        row["application"]: row["sent"]
        for row in Notification.objects.filter(application__in=ids, channel=Notification.Channel.EMAIL)
        .values("application")
        .annotate(sent=Max("sent_at"))
    }
    for pk, at in submitted.items():
        if at is None:
            continue
        if pk not in pending and ready.get(pk):
            lags["documents"].append(max(0.0, (ready[pk] - at).total_seconds()))
        if scored.get(pk):
            lags["score"].append((scored[pk] - at).total_seconds())
        if mailed.get(pk):
            lags["email"].append((mailed[pk] - at).total_seconds())
    return lags


def wait_for_pipeline(ids: list[int], timeout: float) -> dict[str, list[float]]:
    deadline = time.monotonic() + timeout
    while True:
        lags = pipeline_lags(ids)
        if all(len(v) >= len(ids) for v in lags.values()) or time.monotonic() > deadline:
            return lags
        time.sleep(1)


# --- Processes ------------------------------------------------------------------------------------
def start_web(env: dict, port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "-b", f"127.0.0.1:{port}"]
        + ["-w", "1", "-k", "gthread", "--threads", "8", "--log-level", "warning", "--keep-alive", "5"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def start_worker(env: dict, n: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-n", f"absorb{n}@%h", "--concurrency=1"]
        + ["--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_http(url: str, proc: subprocess.Popen) -> None:
    ready_by = time.monotonic() + 120
    while time.monotonic() < ready_by:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up; see var/absorb-*.log")


def seed(env: dict, caseworkers: int, applications: int) -> tuple[list, object]:
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from applications.models import Application, Queue
    from applications.states import State
    from applications.workflow import state_writes_for_seeding
    from portal import roles
    from portal.accounts.tokens import verification_token
    from portal.models import User

    hashed = make_password(PASSWORD)
    staff = User.objects.bulk_create(
        [User(email=f"cw{i}@absorb.test", password=hashed, is_staff=True) for i in range(caseworkers)]
    )
    Group.objects.get(name=roles.CASEWORKER).user_set.add(*staff)
    Queue.objects.create(name="All cases (absorption)").caseworkers.add(*staff)
    keys = [(u.email, TOTPDevice.objects.create(user=u, name="b", confirmed=True).bin_key) for u in staff]
    owner = User.objects.create(email="pool@absorb.test", password=hashed, email_verified_at=timezone.now())
    with state_writes_for_seeding():
        Application.objects.bulk_create(
            [
                Application(
                    product="kandas_card",
                    owner=owner,
                    state=State.SUBMITTED,
                    applicant_name=f"Applicant {i}",
                    passport_number=f"N{i:08d}",
                    submitted_at=timezone.now(),
                )
                for i in range(applications)
            ],
            batch_size=1000,
        )

    def token_for(email: str) -> str:
        from django.db import connection

        try:
            return verification_token(User.objects.get(email=email))
        finally:
            connection.close()

    return keys, token_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="10,20,40", help="submissions per minute, one step each")
    parser.add_argument("--step", type=float, default=45.0, help="seconds of arrivals per step (max 300)")
    parser.add_argument("--drain", type=float, default=60.0, help="seconds to wait for the pipeline after a step")
    parser.add_argument("--web", type=int, default=1, help="gunicorn servers, each on its own port")
    parser.add_argument("--workers", type=int, default=1, help="celery worker processes")
    parser.add_argument("--caseworkers", type=int, default=20)
    parser.add_argument("--applications", type=int, default=5000, help="cases already in the queue")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    step_seconds = min(args.step, 300.0)
    redis = os.environ.get("ABSORB_REDIS_URL", "redis://127.0.0.1:6379/12")
    db = f"portal_absorb_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": f"absorb-{os.getpid()}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PORTAL_STATIC_ROOT": str(ROOT / "var" / "load-static"),
        "API_THROTTLE_UPLOAD": "100000/hour",
    }
    psql(f"CREATE DATABASE {db}")
    procs: list[subprocess.Popen] = []
    results = []
    try:
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        run([sys.executable, "manage.py", "seed_criteria"], env)
        staff, token_for = seed(env, args.caseworkers, args.applications)
        scan_kinds = journey_scan_kinds()
        scans = [make_scan(seed) for seed in range(8)]
        photos = [make_photo(seed) for seed in range(4)]

        def files_for(n: int) -> dict:
            chosen = random.sample(scans, len(scan_kinds))
            files = {kind: (f"{kind}.jpg", data) for kind, data in zip(scan_kinds, chosen, strict=True)}
            files["photo"] = ("photo.jpg", photos[n % len(photos)])
            return files

        ports = [free_port() for _ in range(args.web)]
        webs = [start_web(env, port, ROOT / "var" / f"absorb-web{i}.log") for i, port in enumerate(ports)]
        workers = [start_worker(env, i, ROOT / "var" / f"absorb-worker{i}.log") for i in range(args.workers)]
        procs = webs + workers
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base, web in zip(bases, webs, strict=True):
            wait_http(base + "/", web)
        time.sleep(3)  # workers connect to the broker
        results = asyncio.run(
            run_steps(bases, webs, workers, db, rates, step_seconds, args.drain, staff, files_for, token_for)
        )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    section = report(results, args)
    print(section)
    if args.write_docs:
        write_docs(section, f"{args.web}x{args.workers}")


def journey_scan_kinds() -> list[str]:
    """The scans the journey's answers require, asked of the product (a photo is added apart)."""
    from applications import sections
    from tests.applications.applicant.conftest import KANDAS_PAGES

    kinds = sections.required_document_kinds("kandas_card", KANDAS_PAGES["track"]["track"], KANDAS_PAGES)
    return [kind for kind in kinds if kind != "photo"]


async def run_steps(bases, webs, workers, db, rates, step_seconds, drain, staff, files_for, token_for) -> list:
    from tests.applications.applicant.conftest import KANDAS_PAGES

    clients = await sign_in_staff(bases, staff)
    results = []
    for rate in rates:
        load_before = os.getloadavg()
        cpu_web = sum(tree_cpu(p.pid) for p in webs)
        cpu_worker = sum(tree_cpu(p.pid) for p in workers)
        cpu_db = await asyncio.to_thread(postgres_cpu, db)
        started = time.monotonic()
        stats = await step(bases, clients, rate, step_seconds, files_for, KANDAS_PAGES, token_for)
        lags = await asyncio.to_thread(wait_for_pipeline, stats.submitted, drain)
        elapsed = time.monotonic() - started
        db_after = await asyncio.to_thread(postgres_cpu, db)
        cpu = {
            "web": sum(tree_cpu(p.pid) for p in webs) - cpu_web,
            "worker": sum(tree_cpu(p.pid) for p in workers) - cpu_worker,
            "db": sum(v - cpu_db.get(pid, 0.0) for pid, v in db_after.items()),
        }
        done = min(len(v) for v in lags.values()) if stats.submitted else 0
        row = {
            "rate": rate,
            "submitted": len(stats.submitted),
            "absorbed_per_minute": done / (step_seconds / 60),
            "lags": {k: (percentile(v, 50), percentile(v, 95)) for k, v in lags.items()},
            "applicant_p95": percentile(stats.applicant, 95) * 1000,
            "caseworker_p95": percentile(stats.caseworker, 95) * 1000,
            "caseworker_pages": len(stats.caseworker),
            "errors": stats.errors,
            "error_kinds": stats.error_kinds,
            "cpu_per_submission": {k: v / max(1, len(stats.submitted)) for k, v in cpu.items()},
            "load": (load_before[0], os.getloadavg()[0]),
            "elapsed": elapsed,
        }
        results.append(row)
        print(format_row(row), flush=True)
    for client in clients:
        await client.aclose()
    return results


def format_row(row: dict) -> str:
    lag = row["lags"]
    cpu = row["cpu_per_submission"]
    return (
        f"rate {row['rate']:.0f}/min: submitted {row['submitted']}, absorbed {row['absorbed_per_minute']:.1f}/min, "
        f"lag docs p50/p95 {lag['documents'][0]:.1f}/{lag['documents'][1]:.1f} s, "
        f"score {lag['score'][0]:.1f}/{lag['score'][1]:.1f} s, e-mail {lag['email'][0]:.1f}/{lag['email'][1]:.1f} s, "
        f"applicant p95 {row['applicant_p95']:.0f} ms, caseworker p95 {row['caseworker_p95']:.0f} ms "
        f"({row['caseworker_pages']} pages), errors {row['errors']} {row['error_kinds'] or ''}, "
        f"CPU-s/submission web {cpu['web']:.2f} worker {cpu['worker']:.2f} db {cpu['db']:.2f}, "
        f"load {row['load'][0]:.1f} -> {row['load'][1]:.1f}"
    )


def report(results: list[dict], args: argparse.Namespace) -> str:
    good = [r for r in results if r["errors"] == 0 and r["caseworker_p95"] < 300 and r["submitted"]]
    best = max(good, key=lambda r: r["absorbed_per_minute"]) if good else None
    lines = [
        f"`bench_absorption.py --rates {args.rates} --step {args.step:g} --web {args.web} --workers {args.workers}`"
        f" ({os.cpu_count()} cores, {args.caseworkers} caseworkers, {args.applications} cases in the queue)",
        "",
        "| rate/min | submitted | absorbed/min | docs lag p50/p95 s | score lag p50/p95 s | e-mail lag p50/p95 s "
        "| applicant p95 ms | caseworker p95 ms | errors | CPU-s/submission web+worker+db | vs budget | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lag, cpu = r["lags"], r["cpu_per_submission"]
        total = cpu["web"] + cpu["worker"] + cpu["db"]
        lines.append(
            f"| {r['rate']:.0f} | {r['submitted']} | {r['absorbed_per_minute']:.1f} "
            f"| {lag['documents'][0]:.1f}/{lag['documents'][1]:.1f} | {lag['score'][0]:.1f}/{lag['score'][1]:.1f} "
            f"| {lag['email'][0]:.1f}/{lag['email'][1]:.1f} | {r['applicant_p95']:.0f} | {r['caseworker_p95']:.0f} "
            f"| {r['errors']} | {cpu['web']:.2f}+{cpu['worker']:.2f}+{cpu['db']:.2f} = {total:.2f} "
            f"| {total / CPU_BUDGET:.1f}x | {r['load'][0]:.1f} -> {r['load'][1]:.1f} |"
        )
    lines.append("")
    if best:
        lines.append(
            f"Highest rate with 0 errors and caseworker p95 < 300 ms: **{best['absorbed_per_minute']:.1f} "
            f"submissions/min** (offered {best['rate']:.0f}/min)."
        )
    else:
        lines.append("No step met 0 errors with caseworker p95 < 300 ms.")
    return "\n".join(lines)


def write_docs(section: str, label: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    marker_start, marker_end = f"<!-- absorption {label} -->", f"<!-- /absorption {label} -->"
    block = f"{marker_start}\n{section}\n{marker_end}"
    if marker_start in text:
        text = re.sub(re.escape(marker_start) + ".*?" + re.escape(marker_end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
