"""CSV export of the audit trail for a period: streamed, masked, audited (issue 16)."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies["portal_language"] = "en"
    return client


def _rows(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _period(start, end) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat()}


def test_the_export_lists_the_period_masks_identifiers_and_is_audited(client, auditor, applicant):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    audit_record(
        actor=applicant,
        action="submit",
        obj=application,
        reason='=HYPERLINK("http://evil")',
        snapshot={"personal": {"passport_number": "N12345678", "date_of_birth": "1988-04-12"}},
    )
    old = AuditEvent(actor=applicant, action="old", object_type="x", object_id="1")
    old.created_at = timezone.now() - timedelta(days=40)
    AuditEvent.objects.bulk_append([old])
    client.force_login(auditor)
    today = timezone.localdate()
    response = client.post(reverse("audit:export"), _period(today - timedelta(days=1), today))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    actions = [row["action"] for row in rows]
    assert "submit" in actions and "old" not in actions
    submit = next(row for row in rows if row["action"] == "submit")
    assert submit["actor"] == applicant.email
    assert "N12345678" not in submit["snapshot"] and "678" in submit["snapshot"]
    assert "1988-04-12" not in submit["snapshot"]
    assert submit["reason"].startswith("'=")  # a spreadsheet does not run it as a formula
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == auditor
    assert export.snapshot == {"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat()}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter “First day”."),
        ({"start": "2026-05-02", "end": "2026-05-01"}, "The last day must be the same as or after the first day."),
        ({"start": "yesterday", "end": "2026-05-01"}, "Enter a real date in “First day”."),
        ({"start": "2026-05-01", "end": "2999-01-01"}, "The last day cannot be in the future."),
    ],
)
def test_a_bad_period_is_a_400_with_the_reason(client, auditor, data, message):
    client.force_login(auditor)
    response = client.post(reverse("audit:export"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.export").exists()


@pytest.mark.parametrize("person", ["caseworker", "senior", "criteria_admin", "applicant"])
def test_only_auditors_export(client, people, person):
    client.force_login(people[person])
    today = timezone.localdate().isoformat()
    assert client.post(reverse("audit:export"), {"start": today, "end": today}).status_code == 404
