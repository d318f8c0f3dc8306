"""Signed QR payloads (Ed25519), verifiable offline with a public key alone.

Payload text: ``KZC1.<body>.<signature>``, both parts base64url without padding. The body
is compact JSON with short keys:

    {"k": key id, "n": card number, "nm": holder's name, "dob": "YYYY-MM-DD",
     "p": "KC" | "VS", "vf": valid from, "vu": valid until}

The key id names the public key to check with, so keys can rotate: a new key signs new
cards while the old public keys stay in CARD_VERIFY_KEYS and keep verifying old cards.
This module has no database access: ``manage.py verify_card`` works on an offline machine.
"""

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from applications.products import get_product, product_by_prefix

logger = logging.getLogger(__name__)

PREFIX = "KZC1"


class PayloadInvalid(Exception):
    """The payload is malformed, signed by an unknown key, or its signature does not match."""


@dataclass(frozen=True)
class CardClaims:
    number: str
    name: str
    date_of_birth: str
    product: str
    valid_from: str
    valid_until: str
    key_id: str = ""

    def to_body(self) -> dict:
        return {
            "k": self.key_id,
            "n": self.number,
            "nm": self.name,
            "dob": self.date_of_birth,
            "p": get_product(self.product).reference_prefix,
            "vf": self.valid_from,
            "vu": self.valid_until,
        }

    @classmethod
    def from_body(cls, body: dict) -> "CardClaims":
        try:
            return cls(
                number=str(body["n"]),
                name=str(body["nm"]),
                date_of_birth=str(body.get("dob") or ""),
                product=product_by_prefix(str(body["p"])).code,
                valid_from=str(body["vf"]),
                valid_until=str(body["vu"]),
                key_id=str(body["k"]),
            )
        except (LookupError, TypeError) as exc:
            raise PayloadInvalid(f"missing or unknown field: {exc}") from exc

    def is_within_validity(self, on: date) -> bool:
        return date.fromisoformat(self.valid_from) <= on <= date.fromisoformat(self.valid_until)


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys -----------------------------------------------------------------------------


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """A private key from PEM (PKCS#8) or base64 of the raw 32 bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ImproperlyConfigured("CARD_SIGNING_KEY must be an Ed25519 key")
            return key
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured(f"CARD_SIGNING_KEY is not a valid Ed25519 private key: {exc}") from exc


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A public key from PEM (SubjectPublicKeyInfo) or base64 of the raw 32 bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured(f"not a valid Ed25519 public key: {exc}") from exc


def public_key_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def private_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.b64encode(raw).decode()


_PEM_ENTRY = re.compile(r"([\w.:-]+)\s*=\s*(-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----)", re.DOTALL)


def parse_public_keys(text: str) -> dict[str, Ed25519PublicKey]:
    """``kid=base64`` entries separated by commas or new lines (lines starting with # ignored).

    A value may also be a PEM block (``kid=-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----``).
    """
    keys: dict[str, Ed25519PublicKey] = {}
    for kid, pem in _PEM_ENTRY.findall(text):
        keys[kid] = public_key_from_text(pem)
    text = _PEM_ENTRY.sub("", text)
    for entry in text.replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        kid, sep, value = entry.partition("=")
        if not sep or not kid.strip():
            raise ImproperlyConfigured(f"public key entry must be 'key-id=base64', got {entry!r}")
        # Raw base64 may itself end in '='; partition split at the first one, which the
        # key id never contains.
        keys[kid.strip()] = public_key_from_text(value)
    return keys


def _dev_key() -> Ed25519PrivateKey:
    """Development and test key, created in var/ on first use; refused under production settings."""
    if not settings.CARD_ALLOW_DEV_KEY:
        raise ImproperlyConfigured("CARD_SIGNING_KEY is required (see docs/operations.md, 'Card signing keys').")
    path = Path(settings.CARD_DEV_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            with open(path, "xb") as handle:  # two processes racing: one wins, the other reads it
                handle.write(pem)
            path.chmod(0o600)
            logger.warning("generated a development card signing key in %s", path)
        except FileExistsError:
            pass
    return private_key_from_text(path.read_text())


def signing_key() -> tuple[str, Ed25519PrivateKey]:
    """The key id and private key new cards are signed with."""
    if settings.CARD_SIGNING_KEY:
        return settings.CARD_SIGNING_KEY_ID, private_key_from_text(settings.CARD_SIGNING_KEY)
    return settings.CARD_SIGNING_KEY_ID, _dev_key()


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """Every public key cards may be verified with: the configured ones plus the current signer's."""
    keys: dict[str, Ed25519PublicKey] = {}
    if settings.CARD_VERIFY_KEYS_FILE:
        keys.update(parse_public_keys(Path(settings.CARD_VERIFY_KEYS_FILE).read_text()))
    if settings.CARD_VERIFY_KEYS:
        keys.update(parse_public_keys(settings.CARD_VERIFY_KEYS))
    if settings.CARD_SIGNING_KEY or settings.CARD_ALLOW_DEV_KEY:
        kid, private = signing_key()
        keys.setdefault(kid, private.public_key())
    return keys


# --- sign and verify -----------------------------------------------------------------


def payload_sign(claims: CardClaims, *, key_id: str, private_key: Ed25519PrivateKey) -> str:
    body = json.dumps(
        {**claims.to_body(), "k": key_id}, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode()
    return f"{PREFIX}.{_b64e(body)}.{_b64e(private_key.sign(body))}"


def payload_verify(payload: str, public_keys: dict[str, Ed25519PublicKey]) -> CardClaims:
    """The claims of a genuine payload, or PayloadInvalid saying why not.

    Checks the signature only: whether the card is still valid on a given day is
    ``claims.is_within_validity``; revocation needs the online check.
    """
    parts = (payload or "").strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise PayloadInvalid("not a card payload")
    try:
        body_bytes, signature = _b64d(parts[1]), _b64d(parts[2])
        body = json.loads(body_bytes)
    except (ValueError, binascii.Error) as exc:
        raise PayloadInvalid("payload is not readable") from exc
    if not isinstance(body, dict):
        raise PayloadInvalid("payload is not readable")
    key = public_keys.get(str(body.get("k", "")))
    if key is None:
        raise PayloadInvalid(f"signed with an unknown key {body.get('k')!r}")
    try:
        key.verify(signature, body_bytes)
    except InvalidSignature as exc:
        raise PayloadInvalid("signature does not match: the payload was altered or not issued by us") from exc
    return CardClaims.from_body(body)
