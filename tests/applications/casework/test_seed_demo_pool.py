"""The demo pool is filled through the real forms and scored by the real criteria, so the
impact preview and the requests for information show what a real pool would."""

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
def test_the_impact_preview_on_the_demo_pool_shows_both_passes_and_fails(demo_pool):
    """Submitted answers are complete (submission needs every section the facts read), so the
    demo pool, like a real one, has no "needs more information" under the published criteria."""
    published = published_set("kandas_card")
    draft = criteria_set_new_draft(criteria_set=published, actor=None)
    report = impact_compute_report(impact_request(criteria_set=draft, actor=None).pk)
    assert report.status == "done" and report.total > 20
    assert 0 < report.result["passing_now"] < report.total
    statuses = set()
    for product in ("kandas_card", "skills_visa"):
        pool = list(Application.objects.filter(product=product, state__in=UNDECIDED_STATES))
        evaluator = evaluator_for(published_set(product))
        statuses |= {(product, evaluator.score(facts)[1]) for facts in facts_of_many(pool)}
    assert statuses == {(p, s) for p in ("kandas_card", "skills_visa") for s in ("pass", "fail")}
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
    assert "Please upload a clearer copy of your diploma." in status
    assert f'action="/applications/{case.pk}/reply/"' in status  # the reply form
