"""Cost of issuing and checking cards: signatures, offline verification, PDFs.

- Ed25519 signing and verification of the QR payload (what `verify_card` and the scan page
  do per card), against ECDSA P-256 verification of the same bytes as the baseline (ICAO's
  Visible Digital Seal uses ECDSA), measured in the same run.
- The card PDF (two ID-1 pages, QR, embedded font subset) and the A4 decision letter, made by
  the same functions the download views call, on a throw-away SQLite database.

Figures per CPU second of this process (robust on a shared machine) and per wall-clock second.

    python benchmarks/bench_cards.py [--rounds 3] [--n 2000] [--pdfs 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="bench-cards-")
os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DATABASE_URL=f"sqlite:///{TMP}/bench.sqlite3",
    PORTAL_VAR_DIR=TMP,
    CELERY_TASK_ALWAYS_EAGER="1",
    CELERY_BROKER_URL="",
    REDIS_URL="",
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from django.core.management import call_command  # noqa: E402

from applications.cards import signing  # noqa: E402


def timed(fn, n: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) for n calls."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def rate(fn, n: int, rounds: int) -> tuple[float, float]:
    runs = [timed(fn, n) for _ in range(rounds)]
    return n / statistics.median(r[0] for r in runs), n / statistics.median(r[1] for r in runs)


def issued_card():
    from applications.cards.services import card_issue
    from applications.models import Application
    from applications.workflow import state_writes_for_seeding
    from eligibility.models import Region
    from portal.models import User

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="bench@example.org", password="x" * 12, preferred_language="kk")
    with state_writes_for_seeding():
        application = Application.objects.create(
            product="kandas_card",
            owner=user,
            state="approved",
            applicant_name="Айгерім Нұрланқызы",
            answers={"personal": {"date_of_birth": "1990-03-15"}},
            region=Region.objects.get(code="KZ-10"),
        )
    return card_issue(application=application)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n", type=int, default=2000, help="signatures per round")
    parser.add_argument("--pdfs", type=int, default=30, help="PDFs per round")
    args = parser.parse_args()

    key = Ed25519PrivateKey.generate()
    public = {"k1": key.public_key()}
    claims = signing.CardClaims(
        "KC2600000187", "Айгерім Нұрланқызы", "1990-03-15", "kandas_card", "2026-11-24", "2029-11-23"
    )
    payload = signing.payload_sign(claims, key_id="k1", private_key=key)
    body = payload.split(".")[1].encode()
    p256 = ec.generate_private_key(ec.SECP256R1())
    p256_sig = p256.sign(body, ec.ECDSA(hashes.SHA256()))
    ed_sig = key.sign(body)

    rows = [
        (
            "Ed25519 sign payload",
            rate(lambda: signing.payload_sign(claims, key_id="k1", private_key=key), args.n, args.rounds),
        ),
        (
            "Ed25519 verify payload (parse + verify)",
            rate(lambda: signing.payload_verify(payload, public), args.n, args.rounds),
        ),
        (
            "Ed25519 verify (bytes only)",
            rate(lambda: key.public_key().verify(ed_sig, body), args.n, args.rounds),
        ),
        (
            "baseline: ECDSA P-256 verify (bytes only)",
            rate(lambda: p256.public_key().verify(p256_sig, body, ec.ECDSA(hashes.SHA256())), args.n, args.rounds),
        ),
    ]
    card = issued_card()
    from applications.cards.pdf import card_pdf, decision_letter_pdf

    size_card = len(card_pdf(card, language="kk"))
    size_letter = len(decision_letter_pdf(card.application, language="kk"))
    rows += [
        (f"card PDF ({size_card // 1024} KiB)", rate(lambda: card_pdf(card, language="kk"), args.pdfs, args.rounds)),
        (
            f"decision letter PDF ({size_letter // 1024} KiB)",
            rate(lambda: decision_letter_pdf(card.application, language="kk"), args.pdfs, args.rounds),
        ),
    ]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'operation':45} {'per CPU s':>12} {'per wall s':>12}")
    for name, (cpu, wall) in rows:
        print(f"{name:45} {cpu:12.0f} {wall:12.0f}")
    ed, p = rows[2][1][0], rows[3][1][0]
    print(f"Ed25519 vs ECDSA P-256 verification, same bytes, per CPU second: {ed / p:.2f}x")


if __name__ == "__main__":
    main()
