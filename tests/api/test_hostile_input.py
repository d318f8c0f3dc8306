"""Hostile input through the API: a 400 in the API's error shape naming the field, never HTML or a 500."""

import json

import pytest

from tests.api.conftest import make_application

pytestmark = pytest.mark.django_db


def _error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def _put_section(client, application, slug: str, raw_json: str):
    return client.put(
        f"/api/v1/applications/{application.pk}/sections/{slug}/",
        raw_json,
        content_type="application/json",
        HTTP_IF_MATCH=f'"v{application.version}"',
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_lone_surrogate_in_a_choice_field_is_a_json_400_naming_it(clients, applicant):
    draft = make_application(applicant)
    response = _put_section(clients["applicant"], draft, "personal", '{"answers": {"birth_country": "\\ud800"}}')
    error = _error(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["answers.birth_country"]


def test_a_surrogate_in_a_serializer_choice_field_is_a_json_400(clients):
    response = clients["applicant"].post(
        "/api/v1/applications/", '{"product": "\\udfff"}', content_type="application/json"
    )
    assert "product" in _error(response)["fields"]


@pytest.mark.parametrize("complete", [True, False])
def test_a_nul_in_an_answer_is_refused_complete_or_not(clients, applicant, complete):
    draft = make_application(applicant)
    body = json.dumps({"answers": {"birth_place": "Olg\x00ii"}, "complete": complete})
    error = _error(_put_section(clients["applicant"], draft, "personal", body))
    assert "answers.birth_place" in error["fields"]
    draft.refresh_from_db()
    assert "personal" not in draft.answers


def test_save_for_later_through_the_api_bounds_every_text_answer(clients, applicant):
    draft = make_application(applicant)
    body = json.dumps({"answers": {"birth_place": "x" * 1_000_000}, "complete": False})
    error = _error(_put_section(clients["applicant"], draft, "personal", body))
    assert error["fields"]["birth_place"] == ["Town or city of birth must be 100 characters or fewer"]


def test_a_hostile_dictionary_key_is_named_without_breaking_the_answer(clients, applicant):
    draft = make_application(applicant)
    error = _error(_put_section(clients["applicant"], draft, "personal", '{"answers": {"\\ud83d": "x"}}'))
    assert list(error["fields"]) == ["answers.\\ud83d"]


def test_a_nul_in_an_api_query_string_answers_in_the_api_shape(clients):
    error = _error(clients["caseworker"].get("/api/v1/casework/cases/?q=%00"))
    assert error["code"] == "invalid_request"


@pytest.mark.parametrize("query", ["older_than=1000000", "score_min=99999999999999999999", "score_max=-1e30"])
def test_numeric_case_filters_are_bounded(clients, query):
    name = query.split("=")[0]
    assert name in _error(clients["caseworker"].get(f"/api/v1/casework/cases/?{query}"))["fields"]
