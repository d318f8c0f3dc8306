"""Print a new Ed25519 key pair for signing cards (nothing is stored)."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.cards.signing import private_key_text, public_key_text


class Command(BaseCommand):
    help = "Print a new card signing key pair and the environment lines that install it."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--key-id", default="", help="id for the key (default: kz-<year>-<month>)")
        parser.add_argument("--pem", action="store_true", help="print the private key as PEM instead of base64")

    def handle(self, *args, key_id: str, pem: bool, **options):
        key_id = key_id or f"kz-{timezone.now():%Y-%m}"
        key = Ed25519PrivateKey.generate()
        public = public_key_text(key.public_key())
        if pem:
            private = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode()
        else:
            private = private_key_text(key)
        self.stdout.write("# Keep the private key secret (the issuing servers' environment only).")
        self.stdout.write(f"CARD_SIGNING_KEY_ID={key_id}")
        self.stdout.write(f"CARD_SIGNING_KEY={private}" if not pem else f"CARD_SIGNING_KEY='{private.strip()}'")
        self.stdout.write("# Public key: add it to CARD_VERIFY_KEYS (comma-separated) or a keys file, and")
        self.stdout.write("# keep the old public keys there after a rotation so older cards still verify.")
        self.stdout.write(f"{key_id}={public}")
