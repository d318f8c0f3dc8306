"""The sealer: chains committed rows in order, waits out young id gaps, records old ones."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models.query import QuerySet
from django.utils import timezone

from portal.audit import chain
from portal.audit.checkpoint import FILE_NAME, checkpoints_read
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record
from portal.audit.seal import SEAL_LOCK_KEY, audit_seal
from portal.audit.tasks import audit_seal_task
from portal.audit.verify import audit_verify
from tests import services


def _insert_with_id(pk: int, action: str, created_at=None) -> None:
    """A row whose id another transaction took: plain bulk_create, past the append-only queryset."""
    row = AuditEvent(id=pk, action=action, object_type="a.b", object_id="1", created_at=created_at or timezone.now())
    QuerySet.bulk_create(AuditEvent.objects.all(), [row])


def test_the_sealer_chains_rows_in_id_order_from_genesis(db, applicant):
    events = [audit_record(actor=applicant, action=f"a{n}", obj=applicant) for n in range(4)]
    result = audit_seal()
    assert (result.sealed, result.head_seq, result.gaps) == (4, 4, [])
    rows = list(AuditEvent.objects.order_by("id"))
    assert [r.pk for r in rows] == [e.pk for e in events]
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == chain.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    for row in rows:
        assert row.hash == chain.entry_hash(chain.values_of(row), event_id=row.pk, seq=row.seq, prev_hash=row.prev_hash)


def test_each_seal_appends_one_signed_checkpoint_of_the_head(db, applicant):
    audit_record(actor=applicant, action="a", obj=applicant)
    audit_seal()
    assert audit_seal().sealed == 0  # nothing new: no new checkpoint
    audit_record(actor=applicant, action="b", obj=applicant)
    audit_seal()
    checkpoints, problems = checkpoints_read()
    assert problems == []
    head = AuditEvent.objects.get(seq=2)
    assert [(c.seq, c.event_id, c.head) for c in checkpoints][-1] == (2, head.pk, head.hash)
    assert len(checkpoints) == 2 and checkpoints[1].prev == checkpoints[0].sig
    assert (settings.AUDIT_CHECKPOINT_DIR / FILE_NAME).exists()


def test_the_hash_is_keyed_so_another_key_verifies_nothing(db, applicant, settings):
    audit_record(actor=applicant, action="a", obj=applicant)
    audit_seal()
    assert audit_verify().intact
    settings.AUDIT_HMAC_KEY = "a-different-key-0123456789abcdef0123"
    problems = {p.problem for p in audit_verify().problems}
    assert "changed" in problems


def test_the_development_key_is_derived_from_the_secret_key_with_its_own_label(settings):
    settings.AUDIT_HMAC_KEY = ""
    derived = chain.chain_key()
    assert derived != settings.SECRET_KEY.encode() and len(derived) == 32
    assert chain.checkpoint_key() != derived
    settings.SECRET_KEY = settings.SECRET_KEY + "-other"
    assert chain.chain_key() != derived


def test_a_young_gap_in_the_ids_stops_the_sealer_and_an_old_one_is_accepted_and_recorded(db, applicant):
    first = audit_record(actor=applicant, action="first", obj=applicant)
    # id first+1 was taken by a transaction that has not committed (or rolled back).
    _insert_with_id(first.pk + 2, "after the gap")
    result = audit_seal(gap_grace=30)
    assert (result.sealed, result.pending, result.gaps) == (1, 1, [])
    assert AuditEvent.objects.get(pk=first.pk + 2).seq is None

    later = audit_seal(gap_grace=30, now=timezone.now() + timedelta(seconds=31))
    assert (later.sealed, later.gaps) == (1, [(first.pk + 1, first.pk + 1)])
    checkpoints, _ = checkpoints_read()
    assert checkpoints[-1].gaps == [[first.pk + 1, first.pk + 1]]

    # The slow transaction commits after all: its row is sealed at the end, not lost.
    _insert_with_id(first.pk + 1, "late")
    late = audit_seal(gap_grace=30)
    assert (late.sealed, late.late) == (1, 1)
    assert AuditEvent.objects.get(pk=first.pk + 1).seq == 3
    report = audit_verify()
    assert report.intact and (report.checked, report.pending) == (3, 0)


def test_on_sqlite_the_row_is_sealed_right_after_the_writers_commit(
    db, applicant, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_SEAL_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for n in range(3):
            audit_record(actor=applicant, action=f"a{n}", obj=applicant)
    assert len(callbacks) == 1  # one seal per transaction, however many rows
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3]


def test_without_inline_sealing_rows_wait_for_the_background_sealer(
    db, applicant, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_SEAL_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        audit_record(actor=applicant, action="a", obj=applicant)
    assert callbacks == []
    assert AuditEvent.objects.get().seq is None
    assert audit_seal_task() == 1


def test_inline_sealing_is_the_default_only_without_postgresql():
    assert settings.AUDIT_SEAL_ON_COMMIT is (connection.vendor != "postgresql")


def test_the_beat_schedule_runs_the_sealer_every_few_seconds():
    entry = settings.CELERY_BEAT_SCHEDULE["audit-seal"]
    assert entry["task"] == audit_seal_task.name == "audit.seal"
    assert 0 < entry["schedule"] <= 60
    assert entry["options"]["expires"] > entry["schedule"]  # stale seals are dropped, not piled up


def test_a_second_sealer_is_skipped_not_waited_for(db, applicant):
    services.require_postgres()
    audit_record(actor=applicant, action="a", obj=applicant)
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [SEAL_LOCK_KEY])
        result = audit_seal()
        assert result.busy and result.sealed == 0
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SEAL_LOCK_KEY])
        other.close()
    assert audit_seal().sealed == 1


def test_seal_audit_command_reports_what_it_sealed(db, applicant, capsys):
    audit_record(actor=applicant, action="a", obj=applicant)
    call_command("seal_audit")
    assert "sealed 1 audit event(s); chain head at position 1" in capsys.readouterr().out


def test_checkpoint_lines_are_json_with_a_signature(db, applicant):
    audit_record(actor=applicant, action="a", obj=applicant)
    audit_seal()
    line = json.loads((settings.AUDIT_CHECKPOINT_DIR / FILE_NAME).read_text().splitlines()[-1])
    assert set(line) == {"seq", "event_id", "head", "at", "gaps", "prev", "sig"}


def test_verify_audit_without_sealing_names_the_rows_still_waiting(db, applicant, capsys):
    audit_record(actor=applicant, action="a", obj=applicant)
    call_command("verify_audit", "--no-seal")
    assert "intact: 0 entries checked, 1 not sealed yet (oldest written " in capsys.readouterr().out
    call_command("verify_audit")
    assert "intact: 1 entries checked" in capsys.readouterr().out
