"""Service levels: working-day deadlines, routing on submission, escalation to the queue's seniors."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.casework.services import sla_escalate
from applications.casework.sla import add_working_days, sla_due
from applications.models import ApplicationScore, Notification
from applications.states import State
from applications.workflow import application_transition
from portal.audit.models import AuditEvent
from tests.applications.products.helpers import product_changed

ALMATY = ZoneInfo("Asia/Almaty")


def test_working_days_skip_weekends_and_public_holidays():
    friday = datetime(2026, 12, 11, 10, 0, tzinfo=ALMATY)
    # Mon 14, Tue 15, (Wed 16 is Independence Day), Thu 17.
    assert add_working_days(friday, 3).date().isoformat() == "2026-12-17"


def test_kandas_card_decisions_are_due_in_3_working_days_skills_visa_in_10():
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=ALMATY)
    assert sla_due("kandas_card", monday).date().isoformat() == "2026-11-05"
    assert sla_due("skills_visa", monday).date().isoformat() == "2026-11-16"
    with product_changed("kandas_card", sla_working_days=1):
        assert sla_due("kandas_card", monday).date().isoformat() == "2026-11-03"


@pytest.mark.django_db
def test_submission_routes_the_case_with_a_priority_and_a_deadline(make_case, applicant):
    app = make_case(state=State.DRAFT, score=85)
    application_transition(application=app, action="submit", actor=applicant)
    app.refresh_from_db()
    assert app.priority == 1
    assert app.sla_due_at > timezone.now() + timedelta(days=2)


@pytest.mark.django_db
def test_overdue_cases_are_escalated_to_the_queue_seniors_once(make_case, senior, caseworker):
    late = make_case(sla_due_at=timezone.now() - timedelta(hours=2))
    make_case(sla_due_at=timezone.now() + timedelta(hours=2))
    make_case(state=State.AWAITING_APPLICANT, sla_due_at=timezone.now() - timedelta(days=3))
    assert sla_escalate() == 1
    assert sla_escalate() == 0
    notes = Notification.objects.filter(kind="case_overdue")
    assert {n.recipient for n in notes} == {senior}
    assert {n.application_id for n in notes} == {late.pk}
    assert AuditEvent.objects.filter(action="sla_escalate", application=late).count() == 1


@pytest.mark.django_db
def test_escalation_task_runs_through_celery(make_case, senior):
    from applications.casework.tasks import casework_sla_escalate

    make_case(sla_due_at=timezone.now() - timedelta(hours=2))
    assert casework_sla_escalate.delay().get(timeout=30) == 1


@pytest.mark.django_db
def test_priority_follows_the_scarce_profession_category_and_the_score(make_case):
    from applications.casework.queues import priority_for
    from eligibility.models import ScarceProfession

    ScarceProfession.objects.filter(occupation_id__in=["2221", "4110"]).delete()
    ScarceProfession.objects.create(year=2026, occupation_id="2221", sector="healthcare", priority=1)
    nurse = make_case(score=40, occupation_code="2221")
    clerk = make_case(score=40, occupation_code="4110")
    assert priority_for(nurse) == 1
    assert priority_for(clerk) == 3
    ApplicationScore.store(clerk, score=85, passes=True, scored_at=None)
    assert priority_for(clerk) == 1  # the score band now outranks the unlisted occupation
