"""The auditor's case search: by reference or name, passport numbers masked, audited (issue 16)."""

import pytest
from django.urls import reverse

from applications.states import State
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies["portal_language"] = "en"
    return client


def _search(client, q):
    return client.get(reverse("staff:case_search"), {"q": q})


def test_an_auditor_finds_a_case_by_reference_or_name_with_the_passport_masked(client, auditor, make_case):
    case = make_case(state=State.SUBMITTED, applicant_name="Aigerim Nurlanqyzy", passport_number="N12345678")
    make_case(state=State.DRAFT, applicant_name="Aigerim Draft")
    client.force_login(auditor)
    for query in (case.reference.lower(), "nurlan"):
        page = _search(client, query).content.decode()
        assert reverse("casework:case", args=[case.pk]) in page
        assert "N12345678" not in page and "••••••678" in page
        assert "Aigerim Draft" not in page
    searches = AuditEvent.objects.filter(action="case.search", actor=auditor)
    assert list(searches.values_list("reason", flat=True)) == [case.reference.lower(), "nurlan"]


def test_no_search_by_passport_number(client, auditor, make_case):
    make_case(state=State.SUBMITTED, passport_number="N12345678")
    client.force_login(auditor)
    assert "No case matches this search." in _search(client, "N12345678").content.decode()


def test_an_empty_or_overlong_query_is_a_400_with_the_reason(client, auditor):
    client.force_login(auditor)
    empty = _search(client, "")
    assert empty.status_code == 400
    assert "Enter a reference or a name to search for." in empty.content.decode()
    assert _search(client, "x" * 101).status_code == 400
    assert client.get(reverse("staff:case_search")).status_code == 200  # the empty form


@pytest.mark.parametrize("person", ["caseworker", "senior", "criteria_admin", "applicant"])
def test_only_auditors_search(client, people, person):
    client.force_login(people[person])
    assert _search(client, "KC").status_code == 404
