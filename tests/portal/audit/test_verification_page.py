"""The auditor's audit-chain verification page: runs ``audit_verify`` as a Celery task and
shows the stored result (issue 16)."""

import pytest
from django.urls import reverse

from applications.models import Application
from portal.audit.models import AuditEvent, AuditVerification
from portal.audit.verification import PROBLEM_LABELS, audit_verification_run
from tests.portal.audit.helpers import as_table_owner, write_and_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies["portal_language"] = "en"
    return client


@pytest.fixture
def sealed(applicant):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    return write_and_seal(applicant, application, count=5)


def _check(client, auditor, django_capture_on_commit_callbacks):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued after commit
        response = client.post(reverse("audit:verify"))
    assert response.status_code == 302
    return client.get(reverse("audit:verify")).content.decode()


def test_an_intact_trail_is_reported_intact_and_the_request_is_audited(
    client, auditor, sealed, django_capture_on_commit_callbacks
):
    page = _check(client, auditor, django_capture_on_commit_callbacks)
    run = AuditVerification.objects.get()
    assert run.status == AuditVerification.Status.INTACT
    assert run.checked >= 5 and run.problems == [] and run.finished_at is not None
    assert run.requested_by == auditor
    assert "The audit trail is intact:" in page
    assert AuditEvent.objects.filter(action="audit.verify", actor=auditor, object_id=str(run.pk)).exists()


def test_an_edited_row_is_reported_with_its_event_and_the_problem_in_words(
    client, auditor, sealed, django_capture_on_commit_callbacks
):
    with as_table_owner() as cursor:
        cursor.execute("UPDATE applications_auditevent SET reason = %s WHERE id = %s", ["nothing", sealed[1].pk])
    page = _check(client, auditor, django_capture_on_commit_callbacks)
    run = AuditVerification.objects.get()
    assert run.status == AuditVerification.Status.TAMPERED
    assert {"event": sealed[1].pk, "kind": "changed", "problem": "changed"} in run.problems
    assert str(PROBLEM_LABELS["changed"]) in page
    assert f"<td>{sealed[1].pk}</td>" in page


def test_the_task_runs_a_check_once(auditor, sealed):
    run = AuditVerification.objects.create(requested_by=auditor)
    assert audit_verification_run(run.pk).status == AuditVerification.Status.INTACT
    assert audit_verification_run(run.pk) is None  # a second delivery of the task
    assert AuditVerification.objects.get(pk=run.pk).status == AuditVerification.Status.INTACT


def test_a_check_that_crashes_is_stored_as_failed(auditor, sealed, monkeypatch):
    import portal.audit.verification as verification

    def broken(**kwargs):
        raise OSError("checkpoint directory unreadable")

    monkeypatch.setattr(verification, "audit_verify", broken)
    run = AuditVerification.objects.create(requested_by=auditor)
    done = audit_verification_run(run.pk)
    assert done.status == AuditVerification.Status.FAILED
    assert "checkpoint directory unreadable" in done.error


@pytest.mark.parametrize("person", ["caseworker", "senior", "criteria_admin", "applicant"])
def test_only_auditors_open_or_start_it(client, people, person):
    client.force_login(people[person])
    assert client.get(reverse("audit:verify")).status_code == 404
    assert client.post(reverse("audit:verify")).status_code == 404
    assert not AuditVerification.objects.exists()
