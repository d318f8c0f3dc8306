"""Throughput of the document pipeline on 12-megapixel JPEG photos, per worker.

Runs the very code the Celery task runs (``process_document``) in this one process,
that is one worker on one core, twice over the same photos: with JPEG draft decoding
(the production path) and without it (full-size decode, then resize), and prints
photos per second for each and their ratio. Nothing is written to disk or database.

    python benchmarks/bench_documents.py [--photos 6] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import ExifTags, Image, ImageChops  # noqa: E402

from applications.documents.policy import policy_for  # noqa: E402
from applications.documents.processing import process_document  # noqa: E402

SIZE = (4000, 3000)  # 12 megapixels, the usual phone camera


def make_photo(seed: int) -> bytes:
    """A photo-like 12 MP JPEG: smooth areas, detailed areas, sensor noise, GPS EXIF."""
    width, height = SIZE
    extent = (-2.0 + seed * 0.05, -1.2, 1.0 + seed * 0.05, 1.2)
    detail = Image.effect_mandelbrot(SIZE, extent, 60 + seed)
    sky = Image.radial_gradient("L").resize(SIZE)
    ground = Image.linear_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 6)
    red = ImageChops.add(detail, noise, scale=1.6)
    green = ImageChops.add(sky, noise, scale=1.6)
    blue = ImageChops.blend(ground, detail, 0.3)
    photo = Image.merge("RGB", (red, green, blue))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Bench"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (43.0, 15.0, 0.0)})
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def measure(photos: list[bytes], rounds: int, *, use_draft: bool) -> dict[str, float]:
    policy = policy_for("passport")
    process_document(photos[0], policy, use_draft=use_draft)  # warm caches
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for data in photos:
            result = process_document(data, policy, use_draft=use_draft)
            if not result.accepted:
                raise SystemExit(f"benchmark photo refused: {result.reason}")
        rates.append(len(photos) / (time.perf_counter() - started))
    return {
        "photos_per_second": statistics.median(rates),
        "ms_per_photo": 1000 / statistics.median(rates),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    photos = [make_photo(seed) for seed in range(args.photos)]
    mean_mb = statistics.mean(len(p) for p in photos) / 1e6
    draft = measure(photos, args.rounds, use_draft=True)
    full = measure(photos, args.rounds, use_draft=False)
    report = {
        "machine": " ".join(platform.uname()),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "pillow": Image.__version__,
        "photos": args.photos,
        "rounds": args.rounds,
        "photo_size": f"{SIZE[0]}x{SIZE[1]}",
        "mean_file_mb": round(mean_mb, 2),
        "with_draft": {k: round(v, 2) for k, v in draft.items()},
        "without_draft": {k: round(v, 2) for k, v in full.items()},
        "ratio_draft_over_full": round(draft["photos_per_second"] / full["photos_per_second"], 2),
        "target_photos_per_second": 8,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"machine: {report['machine']}")
    print(f"cpu: {report['cpu']} (nproc {report['nproc']})")
    print(f"{args.photos} photos {report['photo_size']}, {mean_mb:.2f} MB each on average")
    for label, figures in (("with draft   ", draft), ("without draft", full)):
        print(
            f"{label}: {figures['photos_per_second']:6.2f} photos/s per worker  ({figures['ms_per_photo']:.0f} ms each)"
        )
    print(f"ratio draft/full: {report['ratio_draft_over_full']:.2f}x   target: >= 8 photos/s")


if __name__ == "__main__":
    main()
