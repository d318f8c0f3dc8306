"""Writing the trail: append-only, no lock in the writer's transaction, read-only admin."""

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from applications.models import Application
from portal.audit.models import AuditEvent, AuditTrailIsAppendOnly
from portal.audit.record import audit_record
from tests import services
from tests.services import ROOT


@pytest.fixture
def trail(db, applicant, caseworker):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    events = [
        audit_record(actor=applicant, action="created", obj=application, ip_address="10.0.0.1"),
        audit_record(actor=caseworker, action="viewed", obj=application, snapshot={"b": 2, "a": [1, "ә"]}),
        audit_record(actor=None, action="swept", obj=application, reason="system", ip_address="::1"),
    ]
    return application, events


def test_a_writer_appends_an_unsealed_row_and_links_the_application(trail):
    application, events = trail
    rows = list(AuditEvent.objects.order_by("id"))
    assert [r.pk for r in rows] == [e.pk for e in events]
    assert all(r.seq is None and r.hash is None and r.prev_hash is None for r in rows)
    assert {r.application_id for r in rows} == {application.pk}
    assert rows[0].object_type == "applications.application"
    assert rows[1].actor is not None and rows[2].actor is None


def test_an_audit_write_takes_no_lock_that_other_transactions_wait_for(db, applicant):
    """The old global advisory lock (held to commit) deadlocked uploads against the worker."""
    services.require_postgres()
    with transaction.atomic():
        audit_record(actor=applicant, action="probe", obj=applicant)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            assert cursor.fetchone()[0] == 0


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


def test_a_writer_cannot_pre_fill_the_chain_columns(db, applicant):
    event = AuditEvent(action="x", object_type="a.b", object_id="1", seq=1, prev_hash="0" * 64, hash="f" * 64)
    event.save()
    AuditEvent.objects.bulk_append([AuditEvent(action="y", object_type="a.b", object_id="2", seq=2, hash="e" * 64)])
    assert list(AuditEvent.objects.values_list("seq", "hash")) == [(None, None), (None, None)]


def test_bulk_append_keeps_historical_times_and_list_order(trail):
    application, _ = trail
    events = [
        AuditEvent(action=f"seed-{i}", object_type="applications.application", object_id=str(application.pk))
        for i in range(5)
    ]
    AuditEvent.objects.bulk_append(events)
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[-5:] == [
        f"seed-{i}" for i in range(5)
    ]
    call_command("verify_audit")


def test_admin_offers_no_add_change_or_delete(trail, auditor, rf):
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/")
    request.user = auditor
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, trail[1][0])
    assert not model_admin.has_delete_permission(request, trail[1][0])


def test_auditor_reads_the_trail_in_the_admin_but_not_documents(trail, auditor):
    client = Client()
    client.force_login(auditor)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{trail[1][0].pk}/change/").status_code == 200
    assert client.get("/admin/applications/document/").status_code == 404  # not in the admin for auditors
    assert auditor.has_perm("audit.view_auditevent")
    assert not auditor.has_perm("applications.view_document")


def test_the_admin_list_reads_actors_in_one_query(trail, auditor, django_assert_max_num_queries):
    for n in range(30):
        audit_record(actor=auditor, action=f"more-{n}", obj=trail[0])
    client = Client()
    client.force_login(auditor)
    client.get("/admin/audit/auditevent/")  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        assert client.get("/admin/audit/auditevent/").status_code == 200


def _imports(package: Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_the_audit_layer_sits_below_both_apps():
    """portal/audit imports neither app; eligibility takes its audit trail from portal/audit."""
    below = _imports(ROOT / "portal" / "audit")
    assert not {m for m in below if m.split(".")[0] in {"applications", "eligibility"}}
    eligibility = _imports(ROOT / "eligibility")
    assert "portal.audit.record" in eligibility
    assert not {m for m in eligibility if m.startswith("applications.audit")}
