"""Checking the audit trail (``manage.py verify_audit``): the chain and the signed checkpoints.

What each check catches (docs/security.md, "Audit trail"):
- a row's keyed hash does not match its fields: the row was edited (or forged without the key);
- a row's ``prev_hash`` is not the previous entry's hash: rows reordered, or one inserted;
- chain positions jump: rows removed from the middle;
- a checkpoint names a position the trail no longer reaches: the newest rows were removed;
- a checkpoint's head hash differs from the row at that position: the trail was rewritten
  and re-hashed from some row on (possible only with the key), or rows swapped;
- the checkpoint file's own lines are signed and linked, so editing it is caught too.
"""

import hmac
from dataclasses import dataclass, field
from datetime import datetime

from portal.audit import chain
from portal.audit.checkpoint import checkpoints_read
from portal.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None  # None: a problem of the trail as a whole or of the checkpoint file
    problem: str
    # What went wrong, as a code a page can put in words (portal/audit/verification.py).
    kind: str = ""


@dataclass
class AuditReport:
    checked: int = 0
    head_seq: int = 0
    pending: int = 0  # rows not sealed yet (written in the last moments, or behind a young gap)
    oldest_pending_at: datetime | None = None  # long ago: the sealer (beat) is not running
    checkpoint_seq: int | None = None
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def audit_verify(*, using: str = "default", limit: int = 100) -> AuditReport:
    """Walk the sealed trail in chain order against its keyed hashes and the checkpoints."""
    report = AuditReport()
    checkpoints, file_problems = checkpoints_read()
    report.problems += [ChainProblem(None, text, "checkpoint_file") for text in file_problems]
    at_position = {cp.seq: cp for cp in checkpoints}
    key = chain.chain_key()
    expected_seq, expected_prev = 1, chain.GENESIS
    events = AuditEvent.objects.using(using)
    for event in events.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(
                ChainProblem(event.pk, f"entries {expected_seq}-{event.seq - 1} of the chain are missing", "missing")
            )
        if event.prev_hash != expected_prev:
            report.problems.append(ChainProblem(event.pk, "broken link", "broken_link"))
        digest = chain.entry_hash(
            chain.values_of(event), event_id=event.pk, seq=event.seq, prev_hash=event.prev_hash, key=key
        )
        if not hmac.compare_digest(digest, event.hash or ""):
            report.problems.append(ChainProblem(event.pk, "changed", "changed"))
        checkpoint = at_position.get(event.seq)
        if checkpoint is not None and (checkpoint.head != event.hash or checkpoint.event_id != event.pk):
            report.problems.append(
                ChainProblem(event.pk, f"differs from the checkpoint of {checkpoint.at}", "checkpoint_differs")
            )
        expected_seq, expected_prev = event.seq + 1, event.hash
        report.head_seq = event.seq
        if len(report.problems) >= limit:
            return report
    if checkpoints:
        last = checkpoints[-1]
        report.checkpoint_seq = last.seq
        if last.seq > report.head_seq:
            report.problems.append(
                ChainProblem(
                    None,
                    f"the trail ends at position {report.head_seq}, but the checkpoint of {last.at} "
                    f"recorded position {last.seq}: the newest entries were removed",
                    "truncated",
                )
            )
    elif report.head_seq:
        report.problems.append(
            ChainProblem(None, "no checkpoint covers the trail (checkpoint file missing)", "no_checkpoint")
        )
    # Chain columns filled by anyone but the sealer (it fills all three at once).
    for pk in events.filter(seq__isnull=True, hash__isnull=False).values_list("pk", flat=True)[:limit]:
        report.problems.append(ChainProblem(pk, "sealed outside the chain", "sealed_outside"))
    unsealed = events.filter(hash__isnull=True)
    report.pending = unsealed.count()
    report.oldest_pending_at = unsealed.order_by("id").values_list("created_at", flat=True).first()
    return report
