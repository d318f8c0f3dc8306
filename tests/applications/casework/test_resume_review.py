"""The request-for-information round trip ends with the holder resuming the review.

Before "resume_review", a case the applicant had answered came back to the queue still held
by its caseworker, whose case page offered only "Put back in the queue".
"""

import pytest
from django.urls import reverse

from applications.casework.services import case_claim, review_resume, rfi_create, rfi_reply
from applications.states import State
from applications.workflow import TransitionRefused, actions_for
from portal import roles
from portal.audit.models import AuditEvent
from tests.conftest import _join_all_cases_queue, _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(make_case, caseworker, applicant):
    """A case claimed by the caseworker, asked for a diploma, and answered by the applicant."""
    app = make_case()
    case_claim(application=app, actor=caseworker)
    rfi = rfi_create(application=app, actor=caseworker, text="Send your diploma", document_kinds=["diploma"])
    rfi_reply(rfi=rfi, actor=applicant, text="Uploaded it")
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.claimed_by == caseworker
    return app


def test_the_holder_resumes_the_review_and_the_reply_is_acknowledged(answered, caseworker):
    assert "resume_review" in actions_for(answered, caseworker)
    app = review_resume(application=answered, actor=caseworker)
    assert app.state == State.IN_REVIEW and app.claimed_by == caseworker
    assert answered.rfis.get().acknowledged_at is not None
    event = AuditEvent.objects.get(application=answered, action="resume_review")
    assert (event.actor, event.from_state, event.to_state) == (caseworker, State.SUBMITTED, State.IN_REVIEW)


def test_only_the_holder_may_resume(answered, senior, applicant):
    other = _join_all_cases_queue(_user("second.caseworker@example.kz", roles.CASEWORKER, staff=True))
    for actor in (other, senior, applicant):
        assert "resume_review" not in actions_for(answered, actor)
        with pytest.raises(TransitionRefused):
            review_resume(application=answered, actor=actor)
    answered.refresh_from_db()
    assert answered.state == State.SUBMITTED


def test_the_case_page_offers_resume_and_then_the_review_forms(client, answered, caseworker, settings):
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("casework:case", args=[answered.pk])).content.decode()
    assert "Resume the review" in page
    response = client.post(reverse("casework:case_action", args=[answered.pk, "resume_review"]))
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.state == State.IN_REVIEW
    page = client.get(reverse("casework:case", args=[answered.pk])).content.decode()
    assert "Resume the review" not in page
    assert "Request information" in page and "Recommend a decision" in page


def test_the_case_page_offers_resume_in_kazakh_and_russian(client, answered, caseworker, settings):
    client.force_login(caseworker)
    for language, label in (("kk", "Қарауды жалғастыру"), ("ru", "Продолжить рассмотрение")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        assert label in client.get(reverse("casework:case", args=[answered.pk])).content.decode()
