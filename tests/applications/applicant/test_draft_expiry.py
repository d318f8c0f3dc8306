"""Drafts expire DRAFT_EXPIRY_DAYS after their last change, with a reminder a week before."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications import services
from applications.models import Application, Notification
from applications.tasks import draft_expiry_sweep
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def age(application: Application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_a_reminder_goes_out_a_week_before_expiry_once(settings, kandas_draft, django_capture_on_commit_callbacks):
    settings.DRAFT_EXPIRY_DAYS = 90
    settings.CELERY_TASK_ALWAYS_EAGER = True
    age(kandas_draft, 84)
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_expiry_sweep() == {"reminded": 1, "expired": 0}
        assert draft_expiry_sweep() == {"reminded": 0, "expired": 0}
    rows = Notification.objects.filter(application=kandas_draft, kind="draft_expiring")
    assert rows.count() == 2  # e-mail and in-app
    assert rows.first().payload["expires_on"] == (timezone.localdate() + timedelta(days=6)).isoformat()
    assert [m.to for m in mail.outbox] == [[kandas_draft.owner.email]]


def test_a_fresh_draft_gets_no_reminder(kandas_draft):
    age(kandas_draft, 10)
    assert services.drafts_expiry_sweep() == {"reminded": 0, "expired": 0}


def test_an_expired_draft_is_deleted_and_audited_and_submitted_ones_are_kept(
    settings, kandas_draft, verified_applicant
):
    settings.DRAFT_EXPIRY_DAYS = 90
    age(kandas_draft, 91)
    visa = services.application_start(owner=verified_applicant, product="skills_visa")
    age(visa, 30)
    assert services.drafts_expiry_sweep() == {"reminded": 0, "expired": 1}
    assert not Application.objects.filter(pk=kandas_draft.pk).exists()
    assert Application.objects.filter(pk=visa.pk).exists()
    assert AuditEvent.objects.filter(action="draft_expired", object_id=str(kandas_draft.pk)).exists()


def test_the_task_list_tells_when_the_draft_expires(applicant_client, kandas_draft, settings):
    settings.DRAFT_EXPIRY_DAYS = 90
    body = applicant_client.get(f"/applications/{kandas_draft.pk}/tasks/").content.decode()
    assert "will be deleted on" in body


def test_the_sweep_is_scheduled_by_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["applications.draft_expiry_sweep"]["task"] == "applications.draft_expiry_sweep"
