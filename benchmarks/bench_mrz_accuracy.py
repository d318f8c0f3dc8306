"""MRZ accuracy by distortion on the seeded corpus (issue 18, "Measured accuracy").

For each distortion of ``applications/documents/mrz_corpus.py`` reads N generated pages and
prints: pages with every check digit valid, exact reads, valid-but-wrong reads (a character
no check digit catches), false "match" verdicts on a planted typo, and CPU/wall ms per page
(CPU includes the Tesseract child processes).

    python benchmarks/bench_mrz_accuracy.py [--pages 100] [--seed 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Settings only for django-countries (alpha-2 to alpha-3 in mrz_compare); no database is used.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from applications.documents.mrz_corpus import distortions, planted  # noqa: E402
from applications.documents.mrz_match import MATCH, mrz_compare  # noqa: E402
from applications.documents.mrz_ocr import mrz_read, ocr_available  # noqa: E402
from applications.documents.specimen import data_page, ocr_b_font_path, random_passport  # noqa: E402


def _cpu() -> float:
    own, children = os.times(), os.times()
    return own.user + own.system + children.children_user + children.children_system


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1000)
    args = parser.parse_args()
    if not ocr_available() or ocr_b_font_path() is None:
        print("needs tesseract-ocr and fonts-ocr-b (.ci/ocr)")
        return 1
    today = date(2026, 12, 5)
    rows: dict[str, list[float]] = {}
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible corpus  # nosec B311
    for seed in range(args.seed, args.seed + args.pages):
        data = random_passport(random.Random(seed))  # noqa: S311  # nosec B311
        other = random_passport(random.Random(seed + 100_000))  # noqa: S311  # nosec B311
        page = data_page(data)
        for name, apply in distortions(seed).items():
            image = apply(page)
            cpu, wall = _cpu(), time.perf_counter()
            read = mrz_read(image)
            cpu, wall = _cpu() - cpu, time.perf_counter() - wall
            valid = read.result.is_valid
            exact = valid and list(read.result.lines) == data.mrz_lines()
            field, answers = planted(data, rng, other)
            status = {f.field: f.status for f in mrz_compare(read.result, answers, today=today).fields}[field]
            row = rows.setdefault(name, [0, 0, 0, 0, 0.0, 0.0])
            row[0] += valid
            row[1] += exact
            row[2] += valid and not exact
            row[3] += status == MATCH
            row[4] += cpu
            row[5] += wall
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.pages} pages per distortion, load average {load}")
    print("| distortion | all check digits valid | exact | valid but wrong | false match | CPU-ms | wall-ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    n = args.pages
    for name, (valid, exact, wrong, false_match, cpu, wall) in rows.items():
        print(
            f"| {name} | {valid:.0f} / {n} ({100 * valid / n:.0f} %) | {exact:.0f} | {wrong:.0f} | {false_match:.0f}"
            f" | {1000 * cpu / n:.0f} | {1000 * wall / n:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
