"""Forecast refit benchmark: every series (each product nationally and in each of the 20
regions) backtested and refitted by ``applications.forecasts.services.forecasts_refit``, the
code the ``refit_forecasts`` command and the weekly beat task run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python benchmarks/bench_forecasts.py [--applications 100000] [--weeks 156]

Inserts N submitted applications spread over the last ``--weeks`` complete weeks (each region
its own level, a yearly season, a slow trend), so every series gets the seasonal model, the
slowest case; runs the refit ``--rounds`` times and prints the wall-clock and CPU seconds of
each (the GROUP BY over the applications included) and the load average. The database must be
a scratch one: the script migrates it and deletes what it created at the end.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.utils import timezone

    from applications.forecasts.models import ForecastRun
    from applications.forecasts.series import current_week
    from applications.forecasts.services import forecasts_refit
    from applications.models import Application
    from applications.workflow import state_writes_for_seeding
    from eligibility.models import Region
    from eligibility.products import Product
    from portal.models import User

    call_command("migrate", verbosity=0)
    owner, _created = User.objects.get_or_create(email="bench-forecasts@example.kz")
    regions = list(Region.objects.values_list("code", flat=True))
    products = [p.value for p in Product]
    rng = np.random.default_rng(17)
    end = current_week()
    weights = []
    cells = []
    for product in products:
        for region in regions:
            level = rng.uniform(0.5, 3.0)
            for w in range(args.weeks):
                week = end - datetime.timedelta(weeks=args.weeks - w)
                season = 1 + 0.3 * math.sin(2 * math.pi * w / 52)
                weights.append(level * season * (1 + 0.2 * w / args.weeks))
                cells.append((product, region, week))
    p = np.array(weights) / sum(weights)
    counts = rng.multinomial(args.applications, p)
    started = time.perf_counter()
    batch = []
    with state_writes_for_seeding():
        for (product, region, week), n in zip(cells, counts, strict=True):
            when = timezone.make_aware(datetime.datetime.combine(week + datetime.timedelta(days=2), datetime.time(11)))
            batch += [
                Application(owner=owner, product=product, region_id=region, state="submitted", submitted_at=when)
                for _ in range(n)
            ]
            if len(batch) >= 5000:
                Application.objects.bulk_create(batch)
                batch = []
        Application.objects.bulk_create(batch)
    print(f"inserted {args.applications} applications over {args.weeks} weeks in {time.perf_counter() - started:.1f} s")

    walls, cpus = [], []
    try:
        for _ in range(args.rounds):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            run = forecasts_refit()
            walls.append(time.perf_counter() - wall0)
            cpus.append(time.process_time() - cpu0)
            specs = sorted(set(run.forecasts.values_list("model_spec", flat=True)))
            print(
                f"refit: {run.fitted_count}/{run.series_count} series fitted ({', '.join(specs)}), "
                f"wall {walls[-1]:.2f} s, CPU {cpus[-1]:.2f} s, load average {os.getloadavg()[0]:.1f}"
            )
        print(
            f"median of {args.rounds}: wall {statistics.median(walls):.2f} s, CPU {statistics.median(cpus):.2f} s; "
            f"{platform.platform()}, {os.cpu_count()} CPUs"
        )
    finally:
        ForecastRun.objects.all().delete()
        Application.objects.filter(owner=owner).delete()
        owner.delete()


if __name__ == "__main__":
    main()
