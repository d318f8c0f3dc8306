"""The sealer: chains unsealed audit rows in order, outside every request and task transaction.

Writers only insert rows (portal/audit/record.py). One sealer at a time (a try-lock: a busy
sealer is skipped, never waited for) reads the unsealed rows in id order and fills ``seq``,
``prev_hash`` and ``hash`` (portal/audit/chain.py), then appends a signed checkpoint
(portal/audit/checkpoint.py). It runs as a beat task every ``AUDIT_SEAL_INTERVAL`` seconds,
from ``manage.py seal_audit``, before ``manage.py verify_audit``, and on SQLite right after
each writer's commit.

Ordering: ids come from a sequence taken at INSERT, so a row with a lower id can commit after
one with a higher id. The sealer therefore seals only while ids follow on from the highest
sealed id; at a gap it stops, unless the row after the gap is older than
``AUDIT_SEAL_GAP_GRACE`` seconds: then the gap (a rolled-back insert, or ids PostgreSQL skipped
after a crash) is accepted, logged and recorded in the checkpoint. A row that does commit
into an accepted gap later is not lost: it is sealed at the end of the chain (a "late" row).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

from portal.audit import chain
from portal.audit.checkpoint import checkpoint_append, checkpoint_lock
from portal.audit.models import AuditEvent, register_inline_sealer

logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that lets one sealer run at a time (session level,
# taken with pg_try_advisory_lock: never waited for, never in a request or task transaction).
SEAL_LOCK_KEY = 7_310_002


@dataclass
class SealResult:
    sealed: int = 0
    head_seq: int = 0
    late: int = 0
    gaps: list[tuple[int, int]] = field(default_factory=list)
    pending: int = 0  # unsealed rows left behind a gap still inside its grace period
    busy: bool = False  # another sealer held the lock


def _try_lock(using: str) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers; the file lock serialises sealers
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SEAL_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _unlock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SEAL_LOCK_KEY])


def audit_seal(
    *, using: str = "default", gap_grace: float | None = None, batch: int = 2000, now: datetime | None = None
) -> SealResult:
    """Seal every unsealed row that can safely be sealed now; return what was done.

    Run it outside any transaction: each batch commits before its checkpoint is written.
    """
    grace = timedelta(seconds=settings.AUDIT_SEAL_GAP_GRACE if gap_grace is None else gap_grace)
    result = SealResult()
    with checkpoint_lock():
        if not _try_lock(using):
            result.busy = True
            return result
        try:
            while True:
                gaps_before = len(result.gaps)
                with transaction.atomic(using=using):
                    sealed, stopped, head = _seal_batch(
                        using, result, cutoff=(now or timezone.now()) - grace, batch=batch
                    )
                if sealed:
                    head_seq, head_id, head_hash = head
                    checkpoint_append(seq=head_seq, event_id=head_id, head=head_hash, gaps=result.gaps[gaps_before:])
                if stopped or sealed < batch:
                    break
        finally:
            _unlock(using)
    return result


def _seal_batch(using: str, result: SealResult, *, cutoff: datetime, batch: int) -> tuple[int, bool, tuple]:
    events = AuditEvent.objects.using(using)
    sealed_rows = events.filter(seq__isnull=False)
    head = sealed_rows.order_by("-seq").values_list("seq", "id", "hash").first()
    seq, head_id, prev = head if head is not None else (0, 0, chain.GENESIS)
    high_id = sealed_rows.aggregate(top=Max("id"))["top"]
    key = chain.chain_key()
    updates: list[tuple[int, str, str, int]] = []
    stopped = False
    rows = list(events.filter(hash__isnull=True).order_by("id")[:batch])
    for index, event in enumerate(rows):
        if high_id is not None and event.pk < high_id:
            # Committed into a gap accepted earlier: chained at the end, never dropped.
            result.late += 1
            logger.warning("audit event %s committed after its id gap was accepted; sealed late", event.pk)
        elif high_id is not None and event.pk != high_id + 1:
            if event.created_at > cutoff:
                # A lower id may still commit: wait (at most the grace period).
                stopped = True
                result.pending += len(rows) - index
                break
            gap = (high_id + 1, event.pk - 1)
            result.gaps.append(gap)
            logger.warning("audit ids %s-%s never committed; gap accepted after the grace period", *gap)
        seq += 1
        digest = chain.entry_hash(chain.values_of(event), event_id=event.pk, seq=seq, prev_hash=prev, key=key)
        updates.append((seq, prev, digest, event.pk))
        prev, head_id = digest, event.pk
        high_id = event.pk if high_id is None else max(high_id, event.pk)
    if updates:
        table = AuditEvent._meta.db_table
        with connections[using].cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s AND hash IS NULL",  # noqa: S608  # nosec B608 - table name from the model
                updates,
            )
        result.sealed += len(updates)
    result.head_seq = seq
    return len(updates), stopped, (seq, head_id, prev)


register_inline_sealer(audit_seal)
