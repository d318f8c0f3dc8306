"""Applicant endpoints not driven by the example script: profile, withdraw, status, timeline."""

import pytest
from django.utils import translation

from applications.selectors import TIMELINE_LABELS
from applications.states import State

pytestmark = pytest.mark.django_db


def test_applicant_updates_their_profile(clients, applicant):
    response = clients["applicant"].patch("/api/v1/me/", {"full_name": "Aigerim B", "preferred_language": "ru"})
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Aigerim B" and response.json()["roles"] == ["applicant"]
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.preferred_language) == ("Aigerim B", "ru")


def test_applicant_withdraws_a_submitted_application_once(clients, submitted):
    client = clients["applicant"]
    response = client.post(f"/api/v1/applications/{submitted.pk}/withdraw/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.WITHDRAWN
    submitted.refresh_from_db()
    assert submitted.state == State.WITHDRAWN
    timeline = client.get(f"/api/v1/applications/{submitted.pk}/timeline/", HTTP_ACCEPT_LANGUAGE="en").json()
    with translation.override("en"):
        assert timeline[-1]["label"] == str(TIMELINE_LABELS["withdraw"])
    again = client.post(f"/api/v1/applications/{submitted.pk}/withdraw/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "transition_refused"


def test_another_applicant_cannot_withdraw_it(clients, submitted):
    assert clients["stranger"].post(f"/api/v1/applications/{submitted.pk}/withdraw/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
