"""Confirming an approval or a refusal goes through an "are you sure" page (issue 16) that
cannot be skipped by posting the form directly."""

import pytest
from django.urls import reverse

from applications.states import State
from portal.confirmation import FIELD, confirmation_token
from tests.applications.casework.conftest import recommend
from tests.confirmation import confirmation_token_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Pages in English (the default language is Kazakh)."""
    client.cookies["portal_language"] = "en"
    return client


def _confirm_url(app):
    return reverse("casework:case_action", args=[app.pk, "confirm"])


@pytest.fixture
def recommended(make_case, caseworker):
    def make(recommendation="approve"):
        app = make_case(state=State.RECOMMENDED, claimed_by=caseworker)
        recommend(app, caseworker, recommendation)
        return app

    return make


@pytest.mark.parametrize(
    ("recommendation", "heading", "outcome"),
    [
        ("approve", "Are you sure you want to approve this application?", State.APPROVED),
        ("refuse", "Are you sure you want to refuse this application?", State.REFUSED),
    ],
)
def test_posting_the_confirm_form_shows_a_summary_and_decides_nothing(
    client, senior, recommended, recommendation, heading, outcome
):
    app = recommended(recommendation)
    client.force_login(senior)
    page = client.post(_confirm_url(app), {"note": "Checked the diploma"})
    assert page.status_code == 200
    html = page.content.decode()
    assert heading in html
    assert app.reference in html and app.applicant_name in html and "Checked the diploma" in html
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED
    # With the page's token, the decision is taken, with the note carried through.
    done = client.post(_confirm_url(app), {"note": "Checked the diploma", FIELD: confirmation_token_in(page)})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == outcome
    assert app.decisions.get().senior_note == "Checked the diploma"


def test_a_token_for_another_case_another_person_or_a_forged_one_decides_nothing(
    client, senior, caseworker, recommended
):
    app, other = recommended(), recommended()
    client.force_login(senior)
    other_token = confirmation_token_in(client.post(_confirm_url(other), {"note": ""}))
    someone_else = confirmation_token(
        user=caseworker, purpose="decision.confirm", subject=f"{app.pk}:{app.decisions.get().pk}"
    )
    for token in (other_token, someone_else, "forged", other_token[:-2] + "xx"):
        response = client.post(_confirm_url(app), {"note": "", FIELD: token})
        assert response.status_code == 200, token  # the confirmation page again
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED


def test_a_token_for_an_earlier_recommendation_does_not_confirm_a_new_one(client, senior, caseworker, recommended):
    app = recommended()
    client.force_login(senior)
    token = confirmation_token_in(client.post(_confirm_url(app), {"note": ""}))
    app.decisions.update(outcome="sent_back")
    recommend(app, caseworker, "refuse")
    assert client.post(_confirm_url(app), {"note": "", FIELD: token}).status_code == 200
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED


def test_the_recommending_caseworker_gets_the_refusal_not_a_confirmation_page(client, caseworker, recommended):
    app = recommended()
    client.force_login(caseworker)
    response = client.post(_confirm_url(app), {"note": ""})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED
