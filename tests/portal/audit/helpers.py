"""Shared helpers for the audit-trail tests: a sealed trail, and acting as the table's owner."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from portal.audit.models import AuditEvent
from portal.audit.record import audit_record
from portal.audit.seal import audit_seal

TABLE = AuditEvent._meta.db_table


def write_and_seal(actor, obj, count: int = 5) -> list[AuditEvent]:
    for n in range(count):
        audit_record(actor=actor, action=f"step-{n}", obj=obj, reason=f"reason {n}", ip_address="10.0.0.1")
    result = audit_seal(gap_grace=0)
    assert result.sealed == count and not result.busy
    return list(AuditEvent.objects.order_by("seq"))


@contextmanager
def as_table_owner() -> Iterator:
    """A cursor with the powers of the table's owner: on PostgreSQL the append-only trigger
    is switched off for the duration (what an attacker holding the owner role could do)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of the test's inserts would block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")
