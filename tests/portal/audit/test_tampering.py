"""Every kind of tampering with the audit trail is caught by ``verify_audit``.

Tests act as the table's owner (trigger off on PostgreSQL, tests/portal/audit/helpers.py):
the database is the attacker's, the key and the checkpoint file are not.
"""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from applications.models import Application
from portal.audit import chain
from portal.audit.checkpoint import FILE_NAME
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record
from portal.audit.seal import audit_seal
from portal.audit.verify import audit_verify
from tests import services
from tests.portal.audit.helpers import as_table_owner, write_and_seal


@pytest.fixture
def sealed(db, applicant):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    return write_and_seal(applicant, application, count=5)


def problems() -> list[tuple[int | None, str]]:
    return [(p.event_id, p.problem) for p in audit_verify().problems]


def rehash_from(seq: int, *, key: bytes | None = None) -> None:
    """What an attacker does after an edit: recompute every hash from ``seq`` on."""
    rows = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else chain.GENESIS
    with as_table_owner() as cursor:
        for row in rows:
            digest = chain.entry_hash(chain.values_of(row), event_id=row.pk, seq=row.seq, prev_hash=prev, key=key)
            cursor.execute(
                "UPDATE applications_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, row.pk]
            )
            prev = digest


def test_an_untouched_trail_verifies(sealed, capsys):
    assert problems() == []
    call_command("verify_audit")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_an_edited_row_is_reported_changed(sealed):
    with as_table_owner() as cursor:
        cursor.execute("UPDATE applications_auditevent SET reason = %s WHERE id = %s", ["nothing", sealed[1].pk])
    assert problems() == [(sealed[1].pk, "changed")]
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")


def test_an_edit_rehashed_without_the_key_is_reported_changed(sealed):
    with as_table_owner() as cursor:
        cursor.execute("UPDATE applications_auditevent SET reason = %s WHERE id = %s", ["forged", sealed[1].pk])
    rehash_from(2, key=hashlib.sha256(b"a guess").digest())
    assert (sealed[1].pk, "changed") in problems()


def test_an_edit_with_the_rest_rehashed_even_with_the_key_fails_the_checkpoint(sealed):
    """The old chain passed this: edit row 2, recompute every hash after it."""
    with as_table_owner() as cursor:
        cursor.execute("UPDATE applications_auditevent SET reason = %s WHERE id = %s", ["forged", sealed[1].pk])
    rehash_from(2, key=chain.chain_key())  # the attacker even holds the key
    found = problems()
    assert found and all("checkpoint" in text for _pk, text in found)
    assert found[0][0] == sealed[-1].pk


def test_deleting_the_newest_rows_is_caught_by_the_checkpoint(sealed):
    """The old chain passed this: the remaining prefix is a valid chain."""
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM applications_auditevent WHERE seq >= 4")
    found = problems()
    assert len(found) == 1 and found[0][0] is None
    assert "recorded position 5: the newest entries were removed" in found[0][1]


def test_emptying_the_table_is_caught_by_the_checkpoint(sealed):
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM applications_auditevent")
    assert "the newest entries were removed" in problems()[0][1]


def test_deleting_a_middle_row_is_reported_as_missing_entries_and_a_broken_link(sealed):
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM applications_auditevent WHERE id = %s", [sealed[2].pk])
    assert problems() == [
        (sealed[3].pk, "entries 3-3 of the chain are missing"),
        (sealed[3].pk, "broken link"),
        (sealed[3].pk, "differs from the checkpoint of " + _last_checkpoint_time()),
    ] or problems()[:2] == [(sealed[3].pk, "entries 3-3 of the chain are missing"), (sealed[3].pk, "broken link")]


def _last_checkpoint_time() -> str:
    from portal.audit.checkpoint import checkpoints_read

    return checkpoints_read()[0][-1].at


def test_an_inserted_row_with_a_made_up_hash_is_reported(sealed):
    head = sealed[-1]
    with as_table_owner() as cursor:
        cursor.execute(
            "INSERT INTO applications_auditevent (action, object_type, object_id, from_state, to_state, reason, "
            "snapshot, "
            "created_at, seq, prev_hash, hash) VALUES ('approve', 'a.b', '1', '', '', '', '{}', %s, 6, %s, %s)",
            [head.created_at, head.hash, "ab" * 32],
        )
    assert [text for _pk, text in problems()] == ["changed"]


def test_a_row_inserted_into_the_middle_is_reported(sealed):
    with as_table_owner() as cursor:
        # Make room at position 3 and put a forged row there.
        cursor.execute("UPDATE applications_auditevent SET seq = seq + 100 WHERE seq >= 3")
        cursor.execute("UPDATE applications_auditevent SET seq = seq - 99 WHERE seq >= 103")
        cursor.execute(
            "INSERT INTO applications_auditevent (action, object_type, object_id, from_state, to_state, reason, "
            "snapshot, "
            "created_at, seq, prev_hash, hash) VALUES ('approve', 'a.b', '1', '', '', '', '{}', %s, 3, %s, %s)",
            [sealed[2].created_at, sealed[1].hash, "cd" * 32],
        )
    found = problems()
    assert ("changed" in {text for _pk, text in found}) and len(found) >= 3


def test_a_row_sealed_behind_the_sealers_back_is_reported(sealed):
    with as_table_owner() as cursor:
        cursor.execute(
            "INSERT INTO applications_auditevent (action, object_type, object_id, from_state, to_state, reason, "
            "snapshot, "
            "created_at, hash) VALUES ('approve', 'a.b', '1', '', '', '', '{}', %s, %s)",
            [sealed[0].created_at, "ef" * 32],
        )
    assert [text for _pk, text in problems()] == ["sealed outside the chain"]


def test_reordering_rows_is_reported(sealed):
    with as_table_owner() as cursor:
        cursor.execute("UPDATE applications_auditevent SET seq = -1 WHERE id = %s", [sealed[1].pk])
        cursor.execute("UPDATE applications_auditevent SET seq = 2 WHERE id = %s", [sealed[2].pk])
        cursor.execute("UPDATE applications_auditevent SET seq = 3 WHERE id = %s", [sealed[1].pk])
    found = problems()
    assert (sealed[2].pk, "changed") in found and (sealed[1].pk, "changed") in found
    assert (sealed[2].pk, "broken link") in found


def test_swapping_the_contents_of_two_rows_is_reported(sealed):
    with as_table_owner() as cursor:
        cursor.execute("UPDATE applications_auditevent SET action = %s WHERE id = %s", [sealed[2].action, sealed[1].pk])
        cursor.execute("UPDATE applications_auditevent SET action = %s WHERE id = %s", [sealed[1].action, sealed[2].pk])
    assert problems() == [(sealed[1].pk, "changed"), (sealed[2].pk, "changed")]


def test_an_edited_checkpoint_file_is_reported(sealed, settings):
    path = settings.AUDIT_CHECKPOINT_DIR / FILE_NAME
    path.write_text(path.read_text().replace('"seq":5', '"seq":4'))
    assert any("bad signature" in text for _pk, text in problems())


def test_a_checkpoint_line_removed_from_the_middle_is_reported(sealed, settings, applicant):
    for n in range(2):
        audit_record(actor=applicant, action=f"more-{n}", obj=applicant)
        audit_seal(gap_grace=0)
    path = settings.AUDIT_CHECKPOINT_DIR / FILE_NAME
    lines = path.read_text().splitlines()
    assert len(lines) == 3
    path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    assert any("does not follow the line before" in text for _pk, text in problems())


def test_a_deleted_checkpoint_file_is_reported(sealed, settings):
    (settings.AUDIT_CHECKPOINT_DIR / FILE_NAME).unlink()
    assert problems() == [(None, "no checkpoint covers the trail (checkpoint file missing)")]


# --- the database itself refuses (PostgreSQL) ----------------------------------------------


def test_the_trigger_refuses_update_and_delete_of_a_sealed_row(sealed):
    services.require_postgres()
    for statement in (
        "UPDATE applications_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM applications_auditevent WHERE id = %s",
        "UPDATE applications_auditevent SET hash = NULL, prev_hash = NULL, seq = NULL WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [sealed[0].pk])
    assert problems() == []


def test_the_trigger_refuses_editing_an_unsealed_row_but_lets_the_sealer_fill_it(db, applicant):
    services.require_postgres()
    event = audit_record(actor=applicant, action="a", obj=applicant)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_auditevent SET reason = 'x', seq = 1, prev_hash = 'a', hash = 'b' WHERE id = %s",
            [event.pk],
        )
    assert audit_seal(gap_grace=0).sealed == 1
    assert problems() == []


def test_erasing_an_application_nulls_the_link_and_the_trail_still_verifies(sealed):
    """docs/privacy.md: the link is not hashed, object_type/object_id keep naming the case."""
    application = sealed[0].application
    Application.objects.filter(pk=application.pk).delete()
    assert not AuditEvent.objects.filter(application__isnull=False).exists()
    assert AuditEvent.objects.filter(object_id=str(application.pk)).count() == 5
    assert problems() == []
