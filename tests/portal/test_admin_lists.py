"""Admin change lists over growing tables: counts and filter choices without full scans."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from portal import admin_lists
from portal.admin_lists import EstimatedCountPaginator, indexed_values
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record
from tests import services


@pytest.fixture
def trail(db, applicant, caseworker):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    for n in range(12):
        audit_record(actor=caseworker, action=("viewed", "created", "swept")[n % 3], obj=application)
    return application


def test_indexed_values_are_the_distinct_values_in_order(trail):
    expected = sorted(set(AuditEvent.objects.values_list("action", flat=True)))
    found = indexed_values(AuditEvent.objects.all(), "action")
    if connection.vendor == "postgresql":
        assert found == expected
    else:
        assert found is None  # the admin filter falls back to Django's own DISTINCT


def test_indexed_values_decline_a_narrowed_queryset(trail):
    services.require_postgres()
    assert indexed_values(AuditEvent.objects.filter(action="viewed"), "action") is None


def test_the_skip_scan_reads_the_index_not_the_table(trail):
    services.require_postgres()
    with CaptureQueriesContext(connection) as captured:
        indexed_values(AuditEvent.objects.all(), "action")
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the plan a large table gets
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan and "Index" in plan


def test_small_results_are_counted_exactly_and_large_ones_estimated(trail, monkeypatch):
    rows = AuditEvent.objects.order_by("-id")
    assert EstimatedCountPaginator(rows, 5).count == rows.count()
    if connection.vendor != "postgresql":
        return
    monkeypatch.setattr(admin_lists, "EXACT_COUNT_BELOW", 1)
    estimate = EstimatedCountPaginator(rows, 5).count
    assert estimate == admin_lists.planner_estimate(rows) and estimate > 0


def test_the_auditor_list_is_newest_first_with_working_filters(trail, auditor):
    client = Client()
    client.force_login(auditor)
    page = client.get("/admin/audit/auditevent/")
    assert page.status_code == 200
    shown = [row.pk for row in page.context["cl"].result_list]
    assert shown == sorted(shown, reverse=True)
    filters = page.content.decode()
    for action in ("viewed", "created", "swept"):
        assert f"?action={action}" in filters
    filtered = client.get("/admin/audit/auditevent/?action=swept")
    assert {row.action for row in filtered.context["cl"].result_list} == {"swept"}
