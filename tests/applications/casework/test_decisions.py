"""Four-eyes decisions, requests for information and the audit trail of a whole case."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from applications.casework.services import (
    case_claim,
    decision_confirm,
    decision_recommend,
    decision_send_back,
    rfi_create,
    rfi_reply,
)
from applications.models import Decision, LegalGround, Notification
from applications.states import State
from applications.workflow import TransitionRefused, application_transition
from eligibility.models import Quota
from portal.audit.models import AuditEvent
from tests.confirmation import post_confirmed
from tests.conftest import _join_all_cases_queue, _user


def _ground(kind):
    return LegalGround.objects.filter(applies_to=kind).first()


@pytest.fixture
def second_senior(db):
    return _join_all_cases_queue(_user("senior2@example.kz", "senior_caseworker", staff=True), senior=True)


@pytest.mark.django_db
def test_a_senior_cannot_confirm_their_own_recommendation(make_case, senior, second_senior):
    app = make_case()
    case_claim(application=app, actor=senior)
    decision_recommend(application=app, actor=senior, recommendation="approve", grounds=[_ground("approve")], text="Ok")
    with pytest.raises(TransitionRefused):
        decision_confirm(application=app, actor=senior)
    with pytest.raises(TransitionRefused):
        decision_send_back(application=app, actor=senior, reason="Hm")
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED
    decision_confirm(application=app, actor=second_senior)
    app.refresh_from_db()
    assert app.state == State.APPROVED
    decision = Decision.objects.get(application=app)
    assert (decision.recommended_by, decision.confirmed_by, decision.outcome) == (senior, second_senior, "confirmed")


@pytest.mark.django_db
def test_the_database_also_refuses_self_confirmation(make_case, senior):
    app = make_case()
    decision = Decision.objects.create(application=app, recommendation="approve", text="x", recommended_by=senior)
    decision.confirmed_by = senior
    with pytest.raises(IntegrityError):
        decision.save()


@pytest.mark.django_db
def test_recommendation_needs_grounds_that_fit_it(make_case, caseworker):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    with pytest.raises(TransitionRefused):
        decision_recommend(application=app, actor=caseworker, recommendation="refuse", grounds=[], text="No")
    with pytest.raises(TransitionRefused):
        decision_recommend(
            application=app, actor=caseworker, recommendation="refuse", grounds=[_ground("approve")], text="No"
        )
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW and not Decision.objects.exists()


@pytest.mark.django_db
def test_send_back_returns_the_case_for_more_review(make_case, caseworker, senior):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    decision_recommend(
        application=app, actor=caseworker, recommendation="refuse", grounds=[_ground("refuse")], text="x"
    )
    decision_send_back(application=app, actor=senior, reason="Check the diploma again")
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW
    assert Decision.objects.get(application=app).outcome == "sent_back"


@pytest.mark.django_db
def test_rfi_reply_returns_the_case_highlighted_and_late_rfis_are_flagged(
    client, make_case, caseworker, applicant, settings
):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    rfi = rfi_create(application=app, actor=caseworker, text="Send your diploma", document_kinds=["diploma"])
    app.refresh_from_db()
    assert app.state == State.AWAITING_APPLICANT
    assert Notification.objects.filter(recipient=applicant, kind="information_requested").exists()
    with pytest.raises(TransitionRefused):
        rfi_reply(rfi=rfi, actor=caseworker, text="not the owner")
    rfi_reply(rfi=rfi, actor=applicant, text="Uploaded it")
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.claimed_by == caseworker
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Reply received" in client.get(reverse("casework:queue")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert "Получен ответ" in client.get(reverse("casework:queue")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with pytest.raises(TransitionRefused):
        rfi_reply(rfi=rfi, actor=applicant, text="again")

    case_claim(application=app, actor=caseworker)
    late = rfi_create(application=app, actor=caseworker, text="Passport", deadline=timezone.now() + timedelta(hours=1))
    type(late).objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(days=1))
    late.refresh_from_db()
    assert late.is_overdue()
    assert "No reply by deadline" in client.get(reverse("casework:queue")).content.decode()


@pytest.mark.django_db
def test_audit_trail_is_complete_for_a_full_case_life(client, applicant, caseworker, senior):
    from tests.applications.casework.conftest import build_case

    app = build_case(applicant, state=State.DRAFT)
    application_transition(application=app, action="submit", actor=applicant)
    Quota.objects.create(product="kandas_card", year=timezone.now().year, sector="it", places=1)
    client.force_login(caseworker)
    assert client.post(reverse("casework:claim_next")).status_code == 302
    client.post(reverse("casework:case_action", args=[app.pk, "request_info"]), {"text": "Diploma?", "days": 7})
    rfi_reply(rfi=app.rfis.get(), actor=applicant, text="Attached")
    client.post(reverse("casework:case_action", args=[app.pk, "claim"]))
    client.post(reverse("casework:case_action", args=[app.pk, "note"]), {"text": "Diploma verified"})
    client.post(
        reverse("casework:case_action", args=[app.pk, "recommend"]),
        {"recommendation": "approve", "grounds": [_ground("approve").pk], "text": "Meets all criteria"},
    )
    client.force_login(senior)
    post_confirmed(client, reverse("casework:case_action", args=[app.pk, "confirm"]), {"note": "Agreed"})
    app.refresh_from_db()
    assert app.state == State.APPROVED
    events = list(AuditEvent.objects.filter(application=app).order_by("id"))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("submit", "draft", "submitted"),
        ("claim", "", ""),
        ("start_review", "submitted", "in_review"),
        ("request_info", "in_review", "awaiting_applicant"),
        ("reply", "awaiting_applicant", "submitted"),
        ("claim", "", ""),
        ("start_review", "submitted", "in_review"),
        ("note", "", ""),
        ("recommend", "in_review", "recommended"),
        ("approve", "recommended", "approved"),
    ]
    actors = [e.actor for e in events]
    assert actors == [applicant, caseworker, caseworker, caseworker, applicant, caseworker, caseworker, caseworker,
                      caseworker, senior]  # fmt: skip
    approve = events[-1]
    assert approve.snapshot["recommendation"] == "approve" and approve.snapshot["score"] == app.score
    assert approve.snapshot["quotas_used"]
    assert Quota.objects.get(sector="it").used == 1


@pytest.mark.django_db
def test_a_reply_through_the_applicant_pages_answers_the_open_request(make_case, caseworker, applicant):
    from applications.services import application_reply

    app = make_case()
    case_claim(application=app, actor=caseworker)
    rfi = rfi_create(application=app, actor=caseworker, text="Send your diploma")
    app.refresh_from_db()
    application_reply(application=app, actor=applicant, text="Here it is")
    rfi.refresh_from_db()
    assert rfi.reply_text == "Here it is" and rfi.replied_at is not None
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
