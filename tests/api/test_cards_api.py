"""Card holder endpoints (cards, share codes) and public verification by share code."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api.conftest import issue_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(settings, applicant):
    return issue_card(settings, applicant)


def test_holder_shares_a_code_and_a_checker_verifies_it(clients, card):
    holder = clients["applicant"]
    assert [c["number"] for c in holder.get("/api/v1/cards/").json()] == [card.number]
    created = holder.post(f"/api/v1/cards/{card.number}/share-codes/", {"purpose": "work"}, format="json")
    assert created.status_code == 201, created.content
    code = created.json()["code"]

    checker = APIClient()
    result = checker.post("/api/v1/public/verify/", {"number": card.number, "code": code}, format="json")
    assert result.status_code == 200, result.content
    body = result.json()
    assert body["found"] and body["valid"] and body["holder_name"] == "AIGERIM BEKOVA"
    assert body["rights"]

    share_id = created.json()["id"]
    assert holder.delete(f"/api/v1/cards/{card.number}/share-codes/{share_id}/").status_code == 204
    after = checker.post("/api/v1/public/verify/", {"number": card.number, "code": code}, format="json").json()
    assert after["found"] is False and after["holder_name"] == ""


def test_a_wrong_code_reveals_nothing(card):
    cache.clear()
    body = (
        APIClient().post("/api/v1/public/verify/", {"number": card.number, "code": "ABCDEFGHJ"}, format="json").json()
    )
    assert body == {
        "found": False,
        "valid": False,
        "status": "",
        "product": "",
        "holder_name": "",
        "valid_from": None,
        "valid_until": None,
        "purpose": "",
        "rights": "",
        "regions": [],
    }


def test_someone_elses_card_is_404(clients, card):
    assert clients["stranger"].get(f"/api/v1/cards/{card.number}/").status_code == 404
    response = clients["stranger"].post(f"/api/v1/cards/{card.number}/share-codes/", {"purpose": "work"}, format="json")
    assert response.status_code == 404
