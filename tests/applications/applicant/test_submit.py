"""Submission: frozen answers, criteria stamp, reference; one submission however many clicks."""

import threading

import pytest
from django.db import connection
from django.test import Client

from applications import services
from applications.models import Application, Notification, ReferenceCounter
from applications.states import State
from eligibility.models import CriteriaSet
from portal.audit.models import AuditEvent
from tests.applications.applicant.conftest import KANDAS_PAGES, VISA_PAGES, add_ready_documents, fill_pages
from tests.eligibility.db_helpers import seed_set
from tests.services import require_postgres


@pytest.fixture
def ready_kandas(applicant_client, kandas_draft):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    add_ready_documents(kandas_draft)
    kandas_draft.refresh_from_db()
    return kandas_draft


@pytest.mark.django_db
def test_submission_stamps_the_criteria_set_in_force_and_allocates_a_reference(ready_kandas, verified_applicant):
    # The published example set is in force; a newer draft must not be stamped.
    in_force = seed_set("kandas_card")
    CriteriaSet.objects.create(product="kandas_card", version=in_force.version + 1, status="draft")
    submitted = services.application_submit(application=ready_kandas, actor=verified_applicant)
    assert submitted.state == State.SUBMITTED
    assert submitted.criteria_set == in_force
    assert submitted.reference.startswith("KC-") and submitted.reference.endswith("-000001")
    assert submitted.submitted_at is not None
    event = AuditEvent.objects.get(application=submitted, action="submit")
    assert event.snapshot["criteria_version"] == in_force.version
    assert event.snapshot["answers_sha256"] == services.answers_digest(submitted.answers)


@pytest.mark.django_db
def test_a_submitted_case_has_its_score_row_before_it_is_scored(ready_kandas, verified_applicant):
    """No criteria published: nothing scores the case, yet its (empty) score row exists, so the
    queue's "Highest score" sort (an inner join on that row) still lists it."""
    from applications.models import ApplicationScore

    submitted = services.application_submit(application=ready_kandas, actor=verified_applicant)
    row = ApplicationScore.objects.get(application=submitted)
    assert row.score is None and row.scored_at is None


@pytest.mark.django_db
def test_an_incomplete_application_cannot_be_submitted(applicant_client, visa_draft, verified_applicant):
    fill_pages(applicant_client, visa_draft, {k: v for k, v in VISA_PAGES.items() if k != "languages"})
    with pytest.raises(services.SubmissionIncomplete) as refused:
        services.application_submit(application=visa_draft, actor=verified_applicant)
    assert set(refused.value.missing) == {"languages", "documents"}
    page = applicant_client.post(f"/applications/{visa_draft.pk}/check/", {"confirm": "on"})
    assert page.status_code == 400
    assert "Complete these sections" in page.content.decode()
    visa_draft.refresh_from_db()
    assert visa_draft.state == State.DRAFT and visa_draft.reference is None


@pytest.mark.django_db
def test_a_second_click_returns_the_same_submission(ready_kandas, verified_applicant, applicant_client):
    first = applicant_client.post(f"/applications/{ready_kandas.pk}/check/", {"confirm": "on"})
    second = applicant_client.post(f"/applications/{ready_kandas.pk}/check/", {"confirm": "on"})
    assert first.status_code == 302
    assert second.status_code == 302 and second["Location"] == f"/applications/{ready_kandas.pk}/status/"
    again = services.application_submit(application=ready_kandas, actor=verified_applicant)
    assert again.reference == Application.objects.get(pk=ready_kandas.pk).reference
    assert AuditEvent.objects.filter(application=ready_kandas, action="submit").count() == 1


@pytest.mark.django_db
def test_answers_are_frozen_after_submission(ready_kandas, verified_applicant):
    services.application_submit(application=ready_kandas, actor=verified_applicant)
    with pytest.raises(services.NotEditable):
        services.answers_save(
            application=ready_kandas, section="personal", values={}, complete=True, actor=verified_applicant
        )


@pytest.mark.django_db
def test_a_new_draft_of_the_same_product_waits_until_the_previous_one_ended(ready_kandas, verified_applicant):
    services.application_submit(application=ready_kandas, actor=verified_applicant)
    with pytest.raises(services.ApplicationStartRefused):
        services.application_start(owner=verified_applicant, product="kandas_card")
    services.application_withdraw(application=ready_kandas, actor=verified_applicant)
    fresh = services.application_start(owner=verified_applicant, product="kandas_card")
    assert fresh.pk != ready_kandas.pk and fresh.state == State.DRAFT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submissions_make_one_on_postgresql(verified_applicant, client_for):
    require_postgres()
    owner_client = client_for(verified_applicant)
    application = services.application_start(owner=verified_applicant, product="kandas_card")
    fill_pages(owner_client, application, KANDAS_PAGES)
    add_ready_documents(application)

    barrier = threading.Barrier(2)
    results: list = []

    def submit() -> None:
        client = Client()
        client.cookies = owner_client.cookies  # the same signed-in session, as two tabs share it
        try:
            barrier.wait(timeout=10)
            results.append(client.post(f"/applications/{application.pk}/check/", {"confirm": "on"}))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    assert {r["Location"] for r in results} <= {
        f"/applications/{application.pk}/submitted/",
        f"/applications/{application.pk}/status/",
    }
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert AuditEvent.objects.filter(application=application, action="submit").count() == 1
    assert ReferenceCounter.objects.get(product="kandas_card").last == 1
    assert Notification.objects.filter(application=application, kind="application_submitted").count() == 2
