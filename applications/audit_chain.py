"""The audit trail's hash chain: each entry's hash covers its fields and the previous hash.

Changing, removing or inserting a row anywhere breaks the chain from that row on, which
``manage.py verify_audit`` reports. Plain functions over plain values, also used by the
migration that chained the rows written before the chain existed.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# The fields a hash covers, in the canonical entry. The application foreign key is left
# out on purpose: erasing a draft application nulls it (SET_NULL), while object_type and
# object_id keep naming the object for ever (docs/privacy.md).
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


def _canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def entry_payload(values: dict[str, Any], prev_hash: str) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8) of one entry and the previous hash."""
    entry = {name: values.get(name) for name in HASHED_FIELDS}
    entry["created_at"] = _canonical_time(entry["created_at"])
    entry["snapshot"] = entry["snapshot"] or {}
    entry["ip_address"] = entry["ip_address"] or None
    entry["prev_hash"] = prev_hash
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(values: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(entry_payload(values, prev_hash)).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}
