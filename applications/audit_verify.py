"""Checking the audit trail's hash chain (used by ``manage.py verify_audit``)."""

from dataclasses import dataclass

from applications import audit_chain
from applications.models import AuditEvent


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    problem: str  # "changed" (hash does not match the row) or "broken link" (a row removed or inserted)


def audit_chain_verify(*, limit: int = 100) -> tuple[int, list[ChainProblem]]:
    """Walk the whole trail in append order; return the rows checked and the first problems."""
    problems: list[ChainProblem] = []
    expected_prev = audit_chain.GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.pk, "broken link"))
        if audit_chain.entry_hash(audit_chain.values_of(event), event.prev_hash) != event.hash:
            problems.append(ChainProblem(event.pk, "changed"))
        expected_prev = event.hash
        if len(problems) >= limit:
            break
    return checked, problems
