"""Administrative review through the API: the route and its deadline on the application, the
request and its withdrawal, the route closed after its period, and nobody else's case."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from applications.states import State
from tests.applications.casework.conftest import build_case, refused
from tests.conftest import _join_all_cases_queue, _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused_app(verified_people):
    deciding = _join_all_cases_queue(_user("deciding.senior@example.kz", "senior_caseworker", staff=True), senior=True)

    def make(days_ago=0):
        app = build_case(verified_people["applicant"], state=State.REFUSED)
        refused(
            app,
            recommended_by=verified_people["caseworker"],
            confirmed_by=deciding,
            at=timezone.now() - timedelta(days=days_ago),
        )
        return app

    return make


def test_the_application_shows_the_route_and_its_deadline(clients, refused_app):
    app = refused_app()
    data = clients["applicant"].get(f"/api/v1/applications/{app.pk}/").json()
    assert data["review"]["may_request"] is True
    assert data["review"]["request_by"].startswith(
        str(timezone.localtime(app.decided_at + timedelta(days=settings.ADMIN_REVIEW_REQUEST_DAYS)).date())
    )
    assert data["review"]["status"] is None
    assert "review_request" in data["actions"]


def test_request_then_withdraw(clients, refused_app):
    app = refused_app()
    response = clients["applicant"].post(
        f"/api/v1/applications/{app.pk}/review/", {"grounds": "My degree was missed."}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == State.REVIEW_REQUESTED
    assert data["review"]["status"] == "pending" and data["review"]["due_at"]
    assert data["review"]["may_request"] is False
    response = clients["applicant"].post(f"/api/v1/applications/{app.pk}/review/withdraw/")
    assert response.status_code == 200
    assert response.json()["state"] == State.REFUSED
    assert response.json()["review"]["status"] == "withdrawn"


def test_after_the_period_the_request_is_refused_with_a_message(clients, refused_app):
    app = refused_app(days_ago=settings.ADMIN_REVIEW_REQUEST_DAYS + 1)
    data = clients["applicant"].get(f"/api/v1/applications/{app.pk}/").json()
    assert data["review"]["may_request"] is False and "review_request" not in data["actions"]
    response = clients["applicant"].post(
        f"/api/v1/applications/{app.pk}/review/", {"grounds": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_refused"
    assert "Срок для запроса пересмотра истёк" in response.json()["error"]["message"]
    app.refresh_from_db()
    assert app.state == State.REFUSED


@pytest.mark.parametrize("role", ["stranger", "caseworker", "senior", "criteria_admin", "auditor"])
def test_nobody_else_asks_for_the_review(clients, refused_app, role):
    app = refused_app()
    response = clients[role].post(f"/api/v1/applications/{app.pk}/review/", {"grounds": "x"}, format="json")
    assert response.status_code in (403, 404)
    app.refresh_from_db()
    assert app.state == State.REFUSED


def test_hostile_grounds_are_a_400(clients, refused_app):
    app = refused_app()
    for grounds in ("a\x00b", "x" * 5001):
        response = clients["applicant"].post(
            f"/api/v1/applications/{app.pk}/review/", {"grounds": grounds}, format="json"
        )
        assert response.status_code == 400
    app.refresh_from_db()
    assert app.state == State.REFUSED
