"""Sweeps that finish what a lost publish left: scores and impact reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import ApplicationScore
from applications.scoring.tasks import application_score_sweep, impact_sweep
from eligibility.models import ImpactReport
from tests.eligibility.db_helpers import seed_set, skills_answers, submitted_application

pytestmark = pytest.mark.django_db


def test_a_submission_whose_score_task_was_lost_is_scored_by_the_sweep(applicant, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    seed_set("skills_visa")
    lost = submitted_application(applicant, "skills_visa", skills_answers(1), submitted_at=timezone.now())
    ApplicationScore.objects.get_or_create(application=lost)
    fresh_cutoff = 120

    assert application_score_sweep(older_than_seconds=fresh_cutoff) == 0  # just submitted: its task may be on its way
    type(lost).objects.filter(pk=lost.pk).update(submitted_at=timezone.now() - timedelta(minutes=5))

    assert application_score_sweep(older_than_seconds=fresh_cutoff) == 1
    assert ApplicationScore.objects.get(application=lost).scored_at is not None
    assert application_score_sweep(older_than_seconds=fresh_cutoff) == 0


def test_a_submission_of_a_product_without_criteria_is_left_alone(applicant):
    lost = submitted_application(
        applicant, "skills_visa", skills_answers(1), submitted_at=timezone.now() - timedelta(hours=1)
    )
    ApplicationScore.objects.get_or_create(application=lost)

    assert application_score_sweep(older_than_seconds=0) == 0


def test_an_impact_report_still_waiting_is_computed_by_the_sweep(applicant, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    published = seed_set("skills_visa")
    submitted_application(applicant, "skills_visa", skills_answers(2))
    waiting = ImpactReport.objects.create(criteria_set=published)
    ImpactReport.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    assert impact_sweep(older_than_seconds=300) == 1
    waiting.refresh_from_db()
    assert waiting.status == ImpactReport.Status.DONE
    assert impact_sweep(older_than_seconds=300) == 0
