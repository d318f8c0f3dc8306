"""The audit trail's hash chain: each sealed entry's keyed hash covers its fields, its place
in the chain and the previous entry's hash.

HMAC-SHA256 with ``AUDIT_HMAC_KEY``, a key kept outside the database: whoever can write the
table cannot compute a valid hash for a changed, inserted or reordered row. Plain functions
over plain values (the sealer, the verifier and the migrations use them).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

GENESIS = "0" * 64

# The fields a hash covers, besides the chain position (id, seq) and the previous hash. The
# application foreign key is left out on purpose: erasing a draft application nulls it
# (SET_NULL), while object_type and object_id keep naming the object for ever (docs/privacy.md).
HASHED_FIELDS = (
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "from_state",
    "to_state",
    "reason",
    "snapshot",
    "ip_address",
    "created_at",
)

# Labels that separate the keys derived for different uses (a key is never used for two).
_DEV_KEY_LABEL = b"portal.audit.chain-key.v1"
_CHECKPOINT_KEY_LABEL = b"portal.audit.checkpoint-key.v1"


def chain_key() -> bytes:
    """The HMAC key of the chain: ``AUDIT_HMAC_KEY``, or in development one derived from
    SECRET_KEY with its own label (production settings require ``AUDIT_HMAC_KEY``)."""
    configured = getattr(settings, "AUDIT_HMAC_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), _DEV_KEY_LABEL, hashlib.sha256).digest()


def checkpoint_key() -> bytes:
    """The key that signs checkpoints, derived from the chain key with a distinct label."""
    return hmac.new(chain_key(), _CHECKPOINT_KEY_LABEL, hashlib.sha256).digest()


def _canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def entry_payload(values: dict[str, Any], *, event_id: int, seq: int, prev_hash: str) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8) of one entry, its place and the previous hash."""
    entry: dict[str, Any] = {name: values.get(name) for name in HASHED_FIELDS}
    entry["created_at"] = _canonical_time(values["created_at"])
    entry["snapshot"] = entry["snapshot"] or {}
    entry["ip_address"] = entry["ip_address"] or None
    entry["id"] = event_id
    entry["seq"] = seq
    entry["prev_hash"] = prev_hash
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(values: dict[str, Any], *, event_id: int, seq: int, prev_hash: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 (hex) of the entry's canonical payload."""
    payload = entry_payload(values, event_id=event_id, seq=seq, prev_hash=prev_hash)
    return hmac.new(key if key is not None else chain_key(), payload, hashlib.sha256).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}
