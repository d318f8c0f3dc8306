"""The demo pool is filled through the real forms and scored by the real criteria, so the
impact preview and the requests for information show what a real pool would: some pass,
some fail, and older Kandas cases without the later languages section need more information."""

import pytest
from django.core.management import call_command
from django.test import Client

from applications.facts import facts_of_many
from applications.models import Application
from applications.scoring.impact import impact_compute_report
from applications.scoring.tasks import impact_request
from applications.states import UNDECIDED_STATES, State
from eligibility.services import criteria_set_new_draft, evaluator_for, published_set
from portal.audit.models import AuditEvent
from portal.models import User
from tests.eligibility.db_helpers import seed_set


@pytest.fixture
def demo_pool(tmp_path, settings):
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    seed_set("kandas_card")
    seed_set("skills_visa")
    call_command("seed_demo", force=True, applications=150, verbosity=0)


@pytest.mark.django_db
def test_the_impact_preview_on_the_demo_pool_shows_pass_fail_and_needs_more_information(demo_pool):
    published = published_set("kandas_card")
    draft = criteria_set_new_draft(criteria_set=published, actor=None)
    report = impact_compute_report(impact_request(criteria_set=draft, actor=None).pk)
    assert report.status == "done" and report.total > 20
    assert 0 < report.result["passing_now"] < report.total
    outcomes = {row["status"]: (row["now"], row["draft"]) for row in report.result["outcomes"]}
    assert set(outcomes) == {"pass", "fail", "needs_more_information"}
    assert all(now > 0 and draft > 0 for now, draft in outcomes.values()), outcomes
    assert sum(now for now, _draft in outcomes.values()) == report.total
    statuses = set()
    for product in ("kandas_card", "skills_visa"):
        pool = list(Application.objects.filter(product=product, state__in=UNDECIDED_STATES))
        evaluator = evaluator_for(published_set(product))
        statuses |= {(product, evaluator.score(facts)[1]) for facts in facts_of_many(pool)}
    # The Skills Visa asks every section its criteria read from its first application.
    assert statuses == {
        *(("kandas_card", s) for s in ("pass", "fail", "needs_more_information")),
        *(("skills_visa", s) for s in ("pass", "fail")),
    }
    # Kazakh is what is missing, and every such case waits for the applicant's answer to a request.
    undecided = Application.objects.filter(product="kandas_card", scoring__passes__isnull=True).exclude(state="draft")
    assert undecided.exists()
    for case in undecided:
        assert "kazakh_language" in case.score_detail["missing_facts"], case.reference
        assert "languages" not in case.answers
        assert case.state == State.AWAITING_APPLICANT
        assert case.rfis.get(replied_at__isnull=True).text.startswith("Your application was sent before")
    # Score breakdowns are the criteria's own lines.
    scored = Application.objects.filter(product="kandas_card").exclude(state=State.DRAFT).first()
    factor_ids = {f.key for f in published.factors.all()}
    assert {line["factor"] for line in scored.score_detail["lines"]} <= factor_ids


@pytest.mark.django_db
def test_the_demo_applicants_request_for_information_can_be_answered(demo_pool):
    demo = User.objects.get(email="applicant@demo.kz")
    case = Application.objects.get(owner=demo, state=State.AWAITING_APPLICANT)
    assert AuditEvent.objects.filter(application=case, action="request_info").exists()
    client = Client()
    client.force_login(demo)
    client.cookies["portal_language"] = "en"
    status = client.get(f"/applications/{case.pk}/status/").content.decode()
    assert "Please tell us how well you speak Kazakh" in status
    assert f'action="/applications/{case.pk}/reply/"' in status  # the reply form
    response = client.post(f"/applications/{case.pk}/reply/", {"text": "Kazakh: fluent. Russian: fluent."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
