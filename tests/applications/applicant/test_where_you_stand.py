"""Issue 16: the status page tells applicants when to expect a decision and when to reply by."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from applications.casework.services import case_claim, rfi_create, rfi_reminders_send
from applications.casework.sla import add_working_days
from applications.models import Notification
from applications.notifications import notification_deliver
from applications.products import get_product
from applications.states import State
from portal.display import date_display
from tests.applications.casework.conftest import build_case

pytestmark = pytest.mark.django_db


def status(client, application) -> str:
    response = client.get(f"/applications/{application.pk}/status/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_submitted_case_shows_the_expected_decision_date_from_the_products_working_days(
    applicant_client, verified_applicant
):
    submitted = timezone.now() - timedelta(days=1)
    app = build_case(verified_applicant, product="skills_visa", submitted_at=submitted)
    expected = add_working_days(submitted, get_product("skills_visa").sla_working_days)
    assert app.sla_due_at is None  # a seeded case: the date comes from its submission
    assert f"We expect to decide by {date_display(expected, 'en')}." in status(applicant_client, app)


def test_the_expected_date_follows_the_routed_target_and_the_page_language(applicant_client, verified_applicant):
    due = timezone.now() + timedelta(days=20)
    app = build_case(verified_applicant, sla_due_at=due)
    verified_applicant.preferred_language = "kk"
    verified_applicant.save(update_fields=["preferred_language"])
    applicant_client.cookies["portal_language"] = "kk"
    assert date_display(due, "kk") in status(applicant_client, app)


@pytest.mark.parametrize("state", [State.AWAITING_APPLICANT, State.WAITLISTED, State.REFUSED, State.WITHDRAWN])
def test_no_decision_date_while_the_clock_is_stopped_or_after_the_end(applicant_client, verified_applicant, state):
    app = build_case(verified_applicant, state=state, sla_due_at=timezone.now() + timedelta(days=5))
    assert "We expect to decide by" not in status(applicant_client, app)


def test_an_open_request_shows_its_reply_by_date_on_the_page_and_in_its_email(
    applicant_client, verified_applicant, caseworker, django_capture_on_commit_callbacks
):
    app = build_case(verified_applicant)
    case_claim(application=app, actor=caseworker)
    deadline = timezone.now() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        rfi_create(application=app, actor=caseworker, text="Send your diploma", deadline=deadline)
    body = status(applicant_client, app)
    assert "Send your diploma" in body and f"Reply by {date_display(deadline, 'en')}." in body
    assert "We expect to decide by" not in body
    sent = [m for m in mail.outbox if m.to == [verified_applicant.email]]
    assert sent and f"Please reply by {date_display(deadline, verified_applicant.preferred_language or 'en')}." in (
        sent[-1].body
    )


@override_settings(RFI_REPLY_DAYS=21)
def test_the_reply_period_comes_from_the_setting(verified_applicant, caseworker):
    app = build_case(verified_applicant)
    case_claim(application=app, actor=caseworker)
    rfi = rfi_create(application=app, actor=caseworker, text="More please")
    assert timedelta(days=20, hours=23) < rfi.deadline - timezone.now() <= timedelta(days=21)


def test_one_reminder_three_days_before_the_reply_by_date(verified_applicant, caseworker):
    app = build_case(verified_applicant)
    case_claim(application=app, actor=caseworker)
    rfi = rfi_create(application=app, actor=caseworker, text="Send your diploma")
    reminders = Notification.objects.filter(kind="information_reminder", channel=Notification.Channel.EMAIL)

    assert rfi_reminders_send(now=rfi.deadline - timedelta(days=4)) == 0
    assert rfi_reminders_send(now=rfi.deadline - timedelta(days=3) + timedelta(minutes=1)) == 1
    assert rfi_reminders_send(now=rfi.deadline - timedelta(days=2)) == 0  # idempotent: one per request
    assert reminders.count() == 1

    assert notification_deliver(notification_id=reminders.get().pk)
    message = mail.outbox[-1]
    language = verified_applicant.preferred_language or "en"
    assert app.reference in message.subject
    assert date_display(rfi.deadline, language) in message.body


def test_no_reminder_once_answered_or_past_the_date(verified_applicant, caseworker):
    from applications.services import application_reply

    answered = build_case(verified_applicant)
    case_claim(application=answered, actor=caseworker)
    rfi = rfi_create(application=answered, actor=caseworker, text="Send your diploma")
    answered.refresh_from_db()
    application_reply(application=answered, actor=verified_applicant, text="Here it is")
    assert rfi_reminders_send(now=rfi.deadline - timedelta(days=1)) == 0
    assert rfi_reminders_send(now=rfi.deadline + timedelta(days=1)) == 0


def test_a_case_past_its_target_says_it_is_late_instead_of_a_past_date(applicant_client, verified_applicant):
    due = timezone.now() - timedelta(days=2)
    app = build_case(verified_applicant, state=State.IN_REVIEW, sla_due_at=due)
    body = status(applicant_client, app)
    assert "taking longer than we expected" in body and date_display(due, "en") not in body
