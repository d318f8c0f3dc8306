"""Signed checkpoints of the chain head, kept outside the database.

After each seal the sealer appends one line to ``AUDIT_CHECKPOINT_DIR/checkpoints.jsonl``:
the chain position and hash of the head, the time, the id gaps it accepted, the previous
line's signature, and an HMAC-SHA256 signature (key derived from ``AUDIT_HMAC_KEY``). Whoever
can rewrite the database cannot rewrite this file's signed lines, so removing the newest rows,
or changing a row and re-hashing everything after it, no longer matches a checkpoint.
Operations keep the directory on storage the database owner cannot write (docs/operations.md).
"""

import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from portal.audit import chain

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    event_id: int
    head: str
    at: str
    gaps: list[list[int]]
    prev: str
    sig: str


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _sign(fields: dict) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(chain.checkpoint_key(), body, hashlib.sha256).hexdigest()


def _unsigned(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k != "sig"}


@contextmanager
def checkpoint_lock() -> Iterator[None]:
    """One sealer at a time on this machine (file lock); PostgreSQL adds an advisory lock."""
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def checkpoint_last_signature() -> str:
    """The last line's signature, read from the file's tail (the file only grows)."""
    path = checkpoint_dir() / FILE_NAME
    if not path.exists():
        return ""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 8192))
        lines = [line for line in handle.read().splitlines() if line.strip()]
    if not lines:
        return ""
    try:
        return str(json.loads(lines[-1])["sig"])
    except (ValueError, KeyError):
        return ""  # verify_audit reports the unreadable line


def checkpoint_append(*, seq: int, event_id: int, head: str, gaps: list[tuple[int, int]]) -> Checkpoint:
    """Append one signed checkpoint line (fsynced) and return it. Call under checkpoint_lock()."""
    fields: dict[str, Any] = {
        "seq": seq,
        "event_id": event_id,
        "head": head,
        "at": timezone.now().isoformat(timespec="seconds"),
        "gaps": [list(gap) for gap in gaps],
        "prev": checkpoint_last_signature(),
    }
    sig = _sign(fields)
    entry = {**fields, "sig": sig}
    path = checkpoint_dir() / FILE_NAME
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return Checkpoint(
        seq=seq, event_id=event_id, head=head, at=fields["at"], gaps=fields["gaps"], prev=fields["prev"], sig=sig
    )


def checkpoints_read() -> tuple[list[Checkpoint], list[str]]:
    """All checkpoints in file order, and what is wrong with the file (bad or unlinked lines)."""
    path = checkpoint_dir() / FILE_NAME
    if not path.exists():
        return [], []
    entries: list[Checkpoint] = []
    problems: list[str] = []
    prev_sig = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            entry = Checkpoint(**raw)
        except (ValueError, TypeError):
            problems.append(f"checkpoint line {number}: unreadable")
            continue
        if not hmac.compare_digest(_sign(_unsigned(raw)), entry.sig):
            problems.append(f"checkpoint line {number}: bad signature")
            continue
        if entry.prev != prev_sig:
            problems.append(f"checkpoint line {number}: does not follow the line before (a line removed or inserted)")
        if entries and entry.seq < entries[-1].seq:
            problems.append(f"checkpoint line {number}: chain position went backwards")
        entries.append(entry)
        prev_sig = entry.sig
    return entries, problems
