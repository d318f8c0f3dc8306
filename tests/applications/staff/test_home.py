"""The staff home page per role, and the header's staff links (issue 16)."""

import pytest
from django.urls import reverse

from applications.states import State
from eligibility.models import CriteriaSet
from portal import staff
from tests.applications.casework.conftest import recommend

pytestmark = pytest.mark.django_db


def _get(client, user, url=None):
    client.force_login(user)
    return client.get(url or reverse("staff:home"))


def test_applicants_and_anonymous_visitors_have_no_staff_home(client, applicant):
    assert client.get(reverse("staff:home")).status_code == 302
    assert _get(client, applicant).status_code == 404


def test_a_caseworker_sees_their_queues_and_the_cases_they_hold(client, caseworker, make_case):
    held = make_case(state=State.IN_REVIEW, claimed_by=caseworker)
    make_case(state=State.IN_REVIEW)  # someone else's work: not on this page
    decided = make_case(state=State.REFUSED, claimed_by=caseworker)
    page = _get(client, caseworker).content.decode()
    assert "All cases (tests)" in page
    assert held.reference in page
    assert decided.reference not in page
    assert "home-second-review" not in page  # not a senior
    assert "home-drafts" not in page


def test_a_senior_sees_the_recommended_cases_of_their_queues(client, senior, caseworker, make_case):
    waiting = make_case(state=State.RECOMMENDED)
    recommend(waiting, caseworker)
    in_review = make_case(state=State.IN_REVIEW)
    page = _get(client, senior).content.decode()
    section = page.split('id="home-second-review"')[1]
    assert waiting.reference in section
    assert in_review.reference not in section


def test_a_senior_outside_the_queue_sees_no_case_of_it(client, senior_outside, make_case):
    waiting = make_case(state=State.RECOMMENDED)
    page = _get(client, senior_outside).content.decode()
    assert "home-second-review" in page
    assert waiting.reference not in page


def test_a_criteria_admin_sees_drafts_and_impact_reports(client, criteria_admin):
    draft = CriteriaSet.objects.create(product="kandas_card", version=99, title="Draft to review", pass_mark=50)
    page = _get(client, criteria_admin).content.decode()
    assert reverse("admin:eligibility_criteriaset_change", args=[draft.pk]) in page
    assert "home-claimed" not in page


def test_an_auditor_sees_the_audit_section_and_no_casework(client, auditor):
    page = _get(client, auditor).content.decode()
    assert "home-audit" in page
    assert "home-claimed" not in page
    assert reverse("admin:audit_auditevent_changelist") in page


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("caseworker", {"home", "queue"}),
        ("senior", {"home", "queue", "quotas"}),
        (
            "criteria_admin",
            {
                "home",
                "criteria",
                "rating_proposals",
                "quota_proposals",
                "employers",
                "quotas",
                "analytics",
                "forecasts",
            },
        ),
        (
            "auditor",
            {"home", "case_search", "audit_verify", "audit_export", "audit_trail", "quotas", "analytics", "forecasts"},
        ),
        ("analyst", {"home", "analytics", "forecasts"}),
        ("applicant", set()),
    ],
)
def test_the_header_links_each_role_to_its_staff_pages(client, people, person, expected):
    user = people[person]
    assert {link.key for link in staff.staff_links(user)} == expected
    page = _get(client, user, reverse("portal:dashboard")).content.decode()
    for link in staff.staff_links(user):
        assert f'href="{link.url}"' in page
    assert ('class="staff-nav"' in page) == bool(expected)


@pytest.mark.parametrize("person", ["caseworker", "senior", "criteria_admin", "auditor", "applicant"])
def test_the_quotas_link_is_shown_exactly_to_those_the_quota_page_lets_in(client, people, person):
    user = people[person]
    client.force_login(user)
    opens = client.get(reverse("casework:quotas")).status_code == 200
    header = client.get(reverse("portal:dashboard")).content.decode()
    assert (f'href="{reverse("casework:quotas")}"' in header) == opens == staff.may_open_quotas(user)


def test_the_queue_page_links_quotas_only_for_seniors(client, caseworker, senior):
    quotas = f'href="{reverse("casework:quotas")}"'
    main = _get(client, caseworker, reverse("casework:queue")).content.decode().split('id="main-content"')[1]
    assert quotas not in main
    main = _get(client, senior, reverse("casework:queue")).content.decode().split('id="main-content"')[1]
    assert quotas in main
