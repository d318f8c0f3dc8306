"""Issue 16: the status page links to the issued card; a refusal names the criteria version
and what would raise the score; "waiting for your reply" always comes with the request and
its reply form."""

import datetime

import pytest
from django.urls import reverse

from applications.cards.numbers import check_digits
from applications.models import IssuedCard
from applications.states import State
from eligibility.services import evaluator_for
from portal.display import card_number
from tests.applications.casework.conftest import build_case
from tests.eligibility.db_helpers import seed_set

pytestmark = pytest.mark.django_db

# A weak Kandas applicant: basic Kazakh and little experience leave room to gain points.
FACTS = {
    "ethnic_kazakh_proof": True,
    "citizenship": "UZ",
    "track": "professional",
    "age": 34,
    "education": "secondary",
    "experience_years": 1,
    "kazakh_language": "none",
    "occupation_code": "9999",
    "region": "KZ-59",
}


def status(client, application, language: str = "en") -> str:
    # The account's language wins over the cookie (portal.middleware): set both.
    type(application.owner).objects.filter(pk=application.owner_id).update(preferred_language=language)
    client.cookies["portal_language"] = language
    response = client.get(reverse("applications:status", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def refused(verified_applicant):
    criteria = seed_set("kandas_card")
    # A fixed date for the sentence (a published set refuses save(): update the row).
    type(criteria).objects.filter(pk=criteria.pk).update(effective_from=datetime.date(2026, 1, 1))
    criteria.refresh_from_db()
    result = evaluator_for(criteria).evaluate(FACTS)
    assert result.hints, "the weak applicant must have something to gain"
    return build_case(
        verified_applicant,
        state=State.REFUSED,
        criteria_set=criteria,
        score_detail=result.to_dict(),
    )


def test_a_refusal_names_the_criteria_version_and_what_would_raise_the_score(applicant_client, refused):
    body = status(applicant_client, refused)
    version = refused.criteria_set.version
    assert f"scored against version {version} of the criteria (in force from January 1, 2026)" in body
    assert "What would raise your points" in body
    assert body.count("points</li>") >= 1


def test_the_refusal_hints_read_in_the_applicants_language(applicant_client, refused):
    english = status(applicant_client, refused, "en")
    russian = status(applicant_client, refused, "ru")
    assert "What would raise your points" not in russian and "scored against version" not in russian
    assert english.count("<li>") == russian.count("<li>")


def test_no_refusal_section_on_a_case_still_in_review(applicant_client, verified_applicant):
    app = build_case(verified_applicant, state=State.IN_REVIEW, criteria_set=seed_set("kandas_card"))
    assert "of the criteria" not in status(applicant_client, app)


def test_an_issued_case_links_to_its_card(applicant_client, verified_applicant):
    app = build_case(verified_applicant, state=State.ISSUED)
    card = IssuedCard.objects.create(
        application=app,
        holder=verified_applicant,
        number="KC26000001" + check_digits("KC26000001"),
        holder_name="Aigerim",
        payload="x",
        key_id="k",
        product=app.product,
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2029, 1, 1),
    )
    body = status(applicant_client, app)
    assert reverse("cards:detail", args=[card.number]) in body
    assert card_number(card.number) in body


def test_waiting_for_a_reply_always_shows_a_request_and_its_form(applicant_client, verified_applicant):
    # A case put in this state without a request row or event (seeded, imported).
    app = build_case(verified_applicant, state=State.AWAITING_APPLICANT)
    body = status(applicant_client, app)
    assert "We need more information" in body
    assert f'action="{reverse("applications:reply", args=[app.pk])}"' in body and 'name="text"' in body
