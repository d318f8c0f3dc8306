"""SQL queries per applicant page stay constant as an applicant's data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.models import Application
from applications.workflow import state_writes_for_seeding
from tests.applications.applicant.conftest import KANDAS_PAGES, add_ready_documents, fill_pages

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_applications_costs_the_same_with_one_or_thirty_applications(applicant_client, verified_applicant):
    services.application_start(owner=verified_applicant, product="kandas_card")
    # The first page after signing in restarts the session clock (a session write); the
    # next ones within 30 s do not (portal.accounts.decorators.session_touch).
    count(applicant_client, "/applications/")
    one = count(applicant_client, "/applications/")
    with state_writes_for_seeding():
        Application.objects.bulk_create(
            [Application(owner=verified_applicant, product="skills_visa", state="refused") for _ in range(30)]
        )
    assert count(applicant_client, "/applications/") == one


def test_task_list_and_documents_cost_the_same_with_more_documents(applicant_client, kandas_draft):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    tasks_before = count(applicant_client, f"/applications/{kandas_draft.pk}/tasks/")
    documents_before = count(applicant_client, f"/applications/{kandas_draft.pk}/documents/")
    add_ready_documents(kandas_draft)
    assert count(applicant_client, f"/applications/{kandas_draft.pk}/tasks/") == tasks_before
    assert count(applicant_client, f"/applications/{kandas_draft.pk}/documents/") == documents_before
