"""The criteria admin's decision on a pending employer: verify, refuse, the confirmation step, once only."""

import pytest
from django.core import mail
from django.urls import reverse

from applications.employers.models import Employer
from applications.employers.services import EmployerDecisionRefused, employer_decide
from applications.models import Notification
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(employer):
    organisation = Employer.objects.get(contact=employer)
    Employer.objects.filter(pk=organisation.pk).update(status=Employer.Status.PENDING)
    organisation.refresh_from_db()
    return organisation


@pytest.fixture
def admin_client(client, criteria_admin):
    client.force_login(criteria_admin)
    return client


def _confirm(admin_client, url, data, capture):
    """Post the decision, then the confirmation page's form with its token (the outbox sends after commit)."""
    first = admin_client.post(url, data)
    assert first.status_code == 200 and "confirm_token" in first.content.decode()
    token = first.context["token"]
    with capture(execute=True):
        return admin_client.post(url, {**data, "confirm_token": token})


@pytest.mark.parametrize(("decision", "status"), [("verify", "verified"), ("refuse", "refused")])
def test_a_criteria_admin_verifies_or_refuses_audited_and_the_employer_told(
    admin_client, criteria_admin, pending, decision, status, django_capture_on_commit_callbacks
):
    url = reverse("employers:verification", args=[pending.pk])
    mail.outbox.clear()
    response = _confirm(
        admin_client,
        url,
        {"decision": decision, "reason": "Checked in the register"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == status and pending.decided_by == criteria_admin and pending.decided_at is not None
    event = AuditEvent.objects.get(action=f"employer.{status}", object_id=str(pending.pk))
    assert (event.actor, event.from_state, event.to_state) == (criteria_admin, "pending", status)
    rows = Notification.objects.filter(recipient=pending.contact, kind="employer_decided")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert len(mail.outbox) == 1 and "ACME LLP" in mail.outbox[0].body
    # In the contact's own language (the fixture's account is Kazakh by default).
    assert ("ұйымыңыз расталды" in mail.outbox[0].body) is (status == "verified")


def test_a_post_without_the_token_only_shows_the_confirmation_page(admin_client, pending):
    url = reverse("employers:verification", args=[pending.pk])
    response = admin_client.post(url, {"decision": "verify", "reason": ""})
    assert "Are you sure you want to verify this employer?" in response.content.decode()
    # A token for "verify" cannot refuse.
    forged = admin_client.post(url, {"decision": "refuse", "reason": "x", "confirm_token": response.context["token"]})
    assert forged.status_code == 200 and "Are you sure you want to refuse this employer?" in forged.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending" and not AuditEvent.objects.filter(action__startswith="employer.v").exists()


def test_refusing_needs_a_reason(admin_client, pending):
    response = admin_client.post(reverse("employers:verification", args=[pending.pk]), {"decision": "refuse"})
    assert response.status_code == 400 and "Enter the reason for refusing the employer" in response.content.decode()


def test_an_employer_is_decided_once_only(admin_client, criteria_admin, pending):
    employer_decide(employer_id=pending.pk, actor=criteria_admin, verified=True)
    with pytest.raises(EmployerDecisionRefused):
        employer_decide(employer_id=pending.pk, actor=criteria_admin, verified=False, reason="late")
    response = admin_client.post(reverse("employers:verification", args=[pending.pk]), {"decision": "refuse"})
    assert response.status_code == 409
    pending.refresh_from_db()
    assert pending.status == "verified"
    assert AuditEvent.objects.filter(action__in=["employer.verified", "employer.refused"]).count() == 1


def test_only_criteria_admins_see_the_verification_pages(client, pending, people, employer):
    for role, user in [*people.items(), ("employer", employer)]:
        client.force_login(user)
        list_status = client.get(reverse("employers:verification_list")).status_code
        page_status = client.get(reverse("employers:verification", args=[pending.pk])).status_code
        expected = 200 if role == "criteria_admin" else 404
        assert (role, list_status, page_status) == (role, expected, expected)
