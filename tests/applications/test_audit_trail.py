"""The audit trail is append-only and hash-chained; verify_audit finds any tampering."""

import threading

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client

from applications import audit_chain
from applications.audit import audit_record
from applications.models import Application, AuditEvent
from applications.models.audit import AuditTrailIsAppendOnly
from tests import services


@pytest.fixture
def trail(db, applicant, caseworker):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    events = [
        audit_record(actor=applicant, action="created", obj=application, ip_address="10.0.0.1"),
        audit_record(actor=caseworker, action="viewed", obj=application, snapshot={"b": 2, "a": [1, "ә"]}),
        audit_record(actor=None, action="swept", obj=application, reason="system", ip_address="::1"),
    ]
    return application, events


def test_entries_are_chained_from_the_genesis_hash(trail):
    _, events = trail
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].prev_hash == audit_chain.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert [r.hash for r in rows] == [e.hash for e in events]
    assert all(len(r.hash) == 64 for r in rows)


def test_verify_audit_passes_on_an_untouched_trail(trail, capsys):
    call_command("verify_audit")
    assert "intact: 3 entries" in capsys.readouterr().out


def test_orm_update_and_delete_are_refused(trail):
    _, events = trail
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=events[0].pk).update(reason="edited")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        events[0].delete()
    event = AuditEvent.objects.get(pk=events[1].pk)
    event.reason = "edited"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(action="x", object_type="a.b", object_id="1")])
    assert AuditEvent.objects.count() == 3
    assert not AuditEvent.objects.filter(reason="edited").exists()


def test_admin_offers_no_add_change_or_delete(trail, auditor, rf):
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/")
    request.user = auditor
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, trail[1][0])
    assert not model_admin.has_delete_permission(request, trail[1][0])


def test_raw_sql_change_is_detected_by_verify_audit(trail):
    _, events = trail
    with connection.cursor() as cursor:
        cursor.execute("UPDATE applications_auditevent SET reason = %s WHERE id = %s", ["nothing", events[1].pk])
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")


def test_raw_sql_delete_of_a_middle_entry_is_detected(trail):
    _, events = trail
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM applications_auditevent WHERE id = %s", [events[1].pk])
    from applications.audit_verify import audit_chain_verify

    checked, problems = audit_chain_verify()
    assert checked == 2
    assert [(p.event_id, p.problem) for p in problems] == [(events[2].pk, "broken link")]


def test_rehashing_a_changed_row_still_breaks_the_next_link(trail):
    _, events = trail
    first = AuditEvent.objects.get(pk=events[0].pk)
    first.reason = "forged"
    forged = audit_chain.entry_hash(audit_chain.values_of(first), first.prev_hash)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_auditevent SET reason = %s, hash = %s WHERE id = %s", ["forged", forged, first.pk]
        )
    from applications.audit_verify import audit_chain_verify

    _, problems = audit_chain_verify()
    assert [(p.event_id, p.problem) for p in problems] == [(events[1].pk, "broken link")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_never_fork_the_chain(applicant):
    services.require_postgres()
    application = Application.objects.create(product="kandas_card", owner=applicant)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                audit_record(actor=None, action=f"w{n}-{i}", obj=application)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    from applications.audit_verify import audit_chain_verify

    checked, problems = audit_chain_verify()
    assert (checked, problems) == (40, [])
    assert AuditEvent.objects.values("prev_hash").distinct().count() == 40


def test_auditor_reads_the_trail_in_the_admin_but_not_documents(trail, auditor):
    client = Client()
    client.force_login(auditor)
    assert client.get("/admin/applications/auditevent/").status_code == 200
    assert client.get(f"/admin/applications/auditevent/{trail[1][0].pk}/change/").status_code == 200
    assert client.get("/admin/applications/document/").status_code == 404  # not in the admin for auditors
    assert not auditor.has_perm("applications.view_document")


def test_bulk_append_chains_many_events_in_order(trail):
    application, _ = trail
    events = [
        AuditEvent(action=f"seed-{i}", object_type="applications.application", object_id=str(application.pk))
        for i in range(5)
    ]
    AuditEvent.objects.bulk_append(events)
    from applications.audit_verify import audit_chain_verify

    assert audit_chain_verify() == (8, [])
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[-5:] == [
        f"seed-{i}" for i in range(5)
    ]
