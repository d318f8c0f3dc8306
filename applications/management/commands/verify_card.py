"""Verify a card's QR payload offline, with public keys only (no database, no network)."""

import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from applications.cards.signing import PayloadInvalid, parse_public_keys, payload_verify, trusted_public_keys


class Command(BaseCommand):
    help = (
        "Check the signature of a card payload (the text in its QR code) with public keys only. "
        "Keys: --keys-file, --key, or CARD_VERIFY_KEYS / CARD_VERIFY_KEYS_FILE. Exit status 0 = genuine "
        "and within its validity, 1 = not genuine, 2 = genuine but outside its validity."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("payload", help="the payload text, or - to read it from standard input")
        parser.add_argument("--keys-file", help="file of 'key-id=base64' lines (or key-id=PEM blocks)")
        parser.add_argument("--key", action="append", default=[], help="a public key as key-id=base64 (repeatable)")
        parser.add_argument("--on", help="check validity on this date (YYYY-MM-DD) instead of today")

    def handle(self, *args, payload: str, keys_file: str | None, key: list[str], on: str | None, **options):
        if payload == "-":
            payload = sys.stdin.read()
        try:
            keys = {}
            if keys_file:
                keys.update(parse_public_keys(Path(keys_file).read_text()))
            if key:
                keys.update(parse_public_keys("\n".join(key)))
            if not keys:
                keys = (
                    parse_public_keys(settings.CARD_VERIFY_KEYS or "")
                    if not settings.CARD_VERIFY_KEYS_FILE
                    else parse_public_keys(Path(settings.CARD_VERIFY_KEYS_FILE).read_text())
                )
            if not keys:
                # Development convenience: the local signing key's public half.
                keys = trusted_public_keys()
        except (ImproperlyConfigured, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if not keys:
            raise CommandError("no public keys: pass --keys-file or --key, or set CARD_VERIFY_KEYS")
        try:
            claims = payload_verify(payload, keys)
        except PayloadInvalid as exc:
            self.stderr.write(f"NOT GENUINE: {exc}")
            sys.exit(1)
        day = date.fromisoformat(on) if on else date.today()
        within = claims.is_within_validity(day)
        self.stdout.write("GENUINE: signature verified with key " + claims.key_id)
        for label, value in (
            ("number", claims.number),
            ("name", claims.name),
            ("date of birth", claims.date_of_birth or "-"),
            ("product", claims.product),
            ("valid from", claims.valid_from),
            ("valid until", claims.valid_until),
        ):
            self.stdout.write(f"  {label:14} {value}")
        if not within:
            self.stdout.write(f"OUTSIDE VALIDITY on {day.isoformat()}")
            sys.exit(2)
        self.stdout.write(f"WITHIN VALIDITY on {day.isoformat()} (revocation is checked online only)")
