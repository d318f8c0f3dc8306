"""Administrative review on the pages: the applicant's status page and request form, the route
closing after its period, the senior's case page actions and the reviews queue."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.states import State
from tests.applications.casework.conftest import build_case, refused, review_asked
from tests.conftest import _join_all_cases_queue, _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def deciding_senior(db):
    return _join_all_cases_queue(_user("deciding.senior@example.kz", "senior_caseworker", staff=True), senior=True)


@pytest.fixture
def applicant_web(client, applicant):
    applicant.email_verified_at = timezone.now()
    applicant.save(update_fields=["email_verified_at"])
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _refused(applicant, caseworker, deciding_senior, *, days_ago=0):
    app = build_case(applicant, state=State.REFUSED, claimed_by=caseworker)
    refused(app, recommended_by=caseworker, confirmed_by=deciding_senior, at=timezone.now() - timedelta(days=days_ago))
    return app


def test_the_status_page_shows_the_route_its_deadline_and_the_button(
    applicant_web, applicant, caseworker, deciding_senior
):
    app = _refused(applicant, caseworker, deciding_senior)
    body = applicant_web.get(reverse("applications:status", args=[app.pk])).content.decode()
    assert "Review of the decision" in body
    assert reverse("applications:review", args=[app.pk]) in body
    assert "you can ask for a review until" in body


def test_after_the_period_the_button_goes_and_the_post_is_refused_with_a_clear_message(
    applicant_web, applicant, caseworker, deciding_senior
):
    app = _refused(applicant, caseworker, deciding_senior, days_ago=settings.ADMIN_REVIEW_REQUEST_DAYS + 1)
    body = applicant_web.get(reverse("applications:status", args=[app.pk])).content.decode()
    assert reverse("applications:review", args=[app.pk]) not in body
    assert "The time to ask for a review ended on" in body
    response = applicant_web.post(reverse("applications:review", args=[app.pk]), {"grounds": "Please look again."})
    assert response.status_code == 400
    assert "The time to ask for a review ended on" in response.content.decode()
    app.refresh_from_db()
    assert app.state == State.REFUSED


def test_the_request_form_sends_the_request_and_shows_errors_otherwise(
    applicant_web, applicant, caseworker, deciding_senior
):
    app = _refused(applicant, caseworker, deciding_senior)
    url = reverse("applications:review", args=[app.pk])
    response = applicant_web.post(url, {"grounds": ""})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    response = applicant_web.post(url, {"grounds": "My degree was not counted."})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.REVIEW_REQUESTED
    body = applicant_web.get(reverse("applications:status", args=[app.pk])).content.decode()
    assert "We aim to finish the review by" in body
    assert reverse("applications:review_withdraw", args=[app.pk]) in body
    # Withdrawing, through its confirmation page.
    response = applicant_web.post(reverse("applications:review_withdraw", args=[app.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.REFUSED


def test_another_applicant_gets_nothing(client, stranger, applicant, caseworker, deciding_senior):
    app = _refused(applicant, caseworker, deciding_senior)
    stranger.email_verified_at = timezone.now()
    stranger.save(update_fields=["email_verified_at"])
    client.force_login(stranger)
    assert client.get(reverse("applications:review", args=[app.pk])).status_code == 404
    assert client.post(reverse("applications:review", args=[app.pk]), {"grounds": "x"}).status_code == 404
    app.refresh_from_db()
    assert app.state == State.REFUSED


def test_the_senior_takes_up_and_decides_the_review_on_the_case_page(
    client, applicant, caseworker, deciding_senior, senior
):
    app = build_case(applicant, state=State.REVIEW_REQUESTED, claimed_by=caseworker)
    review_asked(app, refused(app, recommended_by=caseworker, confirmed_by=deciding_senior))
    action = lambda name: reverse("casework:case_action", args=[app.pk, name])  # noqa: E731
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.force_login(deciding_senior)
    page = client.get(reverse("casework:case", args=[app.pk])).content.decode()
    assert "Administrative review" in page and action("review_start") not in page
    client.post(action("review_start"))
    app.refresh_from_db()
    assert app.state == State.REVIEW_REQUESTED

    client.force_login(senior)
    assert action("review_start") in client.get(reverse("casework:case", args=[app.pk])).content.decode()
    assert client.post(action("review_start")).status_code == 302
    app.refresh_from_db()
    assert app.state == State.UNDER_REVIEW
    response = client.post(action("review_overturn"), {"reason": ""})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    client.post(action("review_overturn"), {"reason": "The degree counts."})
    app.refresh_from_db()
    assert app.state == State.SUBMITTED


def test_the_reviews_queue_lists_reviews_only(client, applicant, caseworker, deciding_senior, senior):
    review = build_case(applicant, state=State.REVIEW_REQUESTED, claimed_by=caseworker)
    review_asked(review, refused(review, recommended_by=caseworker, confirmed_by=deciding_senior))
    ordinary = build_case(applicant, state=State.SUBMITTED)
    client.force_login(senior)
    body = client.get(reverse("casework:queue"), {"work": "reviews"}).content.decode()
    assert review.reference in body and ordinary.reference not in body
    everything = client.get(reverse("casework:queue")).content.decode()
    assert review.reference in everything and ordinary.reference in everything
    assert "work=reviews" in everything


@pytest.mark.parametrize("grounds", ["a\x00b", "x" * 5001])
def test_hostile_grounds_are_a_400_never_a_500(applicant_web, applicant, caseworker, deciding_senior, grounds):
    app = _refused(applicant, caseworker, deciding_senior)
    response = applicant_web.post(reverse("applications:review", args=[app.pk]), {"grounds": grounds})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.state == State.REFUSED


def test_a_lone_surrogate_never_reaches_the_database(applicant_web, applicant, caseworker, deciding_senior):
    from tests.api.test_hostile_input_properties import form_body

    app = _refused(applicant, caseworker, deciding_senior)
    response = applicant_web.post(
        reverse("applications:review", args=[app.pk]),
        form_body({"grounds": "Look \ud800 again"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500
    for review in app.reviews.all():  # the body is decoded with replacement characters
        review.grounds.encode("utf-8")
