"""Facts and criteria agree by construction: publishing refuses criteria that read a fact the
product's application never produces, and the self-check asks only what the application asks."""

from __future__ import annotations

import copy

import pytest

from applications.products import get_product
from eligibility.definitions import definition_from_set
from eligibility.engine import CriteriaError
from eligibility.forms import self_check_form
from eligibility.services import criteria_set_import, criteria_set_publish
from tests.eligibility.engine_helpers import fixture

pytestmark = pytest.mark.django_db


def _kandas_with(*, fact: dict, factor: dict | None = None, knockout: dict | None = None) -> dict:
    data = copy.deepcopy(fixture("kandas_card_example.json"))
    data["facts"].append(fact)
    if factor:
        data["factors"].append(factor)
    if knockout:
        data["knockouts"].append(knockout)
    # Translated, so that the only problem publishing finds is the one each test is about.
    data["translations"].update(TRANSLATIONS)
    return data


SALARY = {"name": "monthly_salary_kzt", "type": "integer", "label": "Monthly salary"}
TRANSLATIONS = {
    "Monthly salary": {"kk": "Айлық жалақы", "ru": "Месячная зарплата"},
    "Salary": {"kk": "Жалақы", "ru": "Зарплата"},
    "Paid enough": {"kk": "Жалақысы жеткілікті", "ru": "Достаточная зарплата"},
}


def test_the_kandas_application_produces_every_fact_its_criteria_read():
    assert {"kazakh_language", "ethnic_kazakh_proof", "track"} <= get_product("kandas_card").fact_names
    criteria_set_publish(
        criteria_set=criteria_set_import(data=fixture("kandas_card_example.json"), actor=None), actor=None
    )


def test_a_factor_reading_a_fact_the_kandas_card_never_produces_is_refused_by_name(criteria_admin):
    salary_factor = {
        "id": "salary",
        "kind": "bands",
        "label": "Salary",
        "fact": "monthly_salary_kzt",
        "bands": [{"min": 0, "max": None, "points": 5}],
    }
    draft = criteria_set_import(data=_kandas_with(fact=SALARY, factor=salary_factor), actor=criteria_admin)
    with pytest.raises(CriteriaError) as refused:
        criteria_set_publish(criteria_set=draft, actor=criteria_admin)
    assert [(i.subject, "'monthly_salary_kzt'" in i.message) for i in refused.value.issues] == [("factor salary", True)]


def test_a_knock_out_reading_an_unproduced_fact_is_refused_too(criteria_admin):
    knockout = {
        "id": "paid",
        "label": "Paid enough",
        "condition": {"fact": "monthly_salary_kzt", "op": "gte", "value": 1},
    }
    draft = criteria_set_import(data=_kandas_with(fact=SALARY, knockout=knockout), actor=criteria_admin)
    with pytest.raises(CriteriaError) as refused:
        criteria_set_publish(criteria_set=draft, actor=criteria_admin)
    assert [i.subject for i in refused.value.issues] == ["knock-out paid"]


def test_publishing_through_the_api_says_which_factor_reads_what(criteria_admin, client):
    from tests.api.conftest import token_client

    salary_factor = {
        "id": "salary",
        "kind": "bands",
        "label": "Salary",
        "fact": "monthly_salary_kzt",
        "bands": [{"min": 0, "max": None, "points": 5}],
    }
    draft = criteria_set_import(data=_kandas_with(fact=SALARY, factor=salary_factor), actor=criteria_admin)
    response = token_client(criteria_admin).post(f"/api/v1/criteria-sets/{draft.pk}/publish/")
    assert response.status_code == 400
    assert "monthly_salary_kzt" in response.content.decode() and "salary" in response.content.decode()


def test_the_self_check_asks_only_what_the_application_produces():
    # Declared but read by nothing: publishable, and not a question of the self-check.
    cs = criteria_set_import(data=_kandas_with(fact=SALARY), actor=None)
    criteria_set_publish(criteria_set=cs, actor=None)
    fields = set(self_check_form(definition_from_set(cs)).fields)
    assert "monthly_salary_kzt" not in fields
    assert {"kazakh_language", "ethnic_kazakh_proof"} <= fields
