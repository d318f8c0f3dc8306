"""The self-check asks citizenship as a country select (issue 16): names in the page language,
Kazakhstan in any spelling fails the knock-out, anything that is not a country is refused."""

import pytest
from django.urls import reverse

from portal.countries import country_code_from
from tests.eligibility.db_helpers import seed_set
from tests.eligibility.test_self_check import KANDAS_ANSWERS

URL = reverse("eligibility:self_check", args=["kandas_card"])
CITIZENSHIP_STEP = 1  # the second question of the Kandas Card example criteria


@pytest.mark.parametrize(
    "typed",
    [
        "KZ",
        "kz",
        " Kazakhstan ",
        "KAZAKHSTAN",
        "kazakstan",
        "Qazaqstan",
        "Republic of Kazakhstan",
        "Казахстан",
        "Республика Казахстан",
        "Қазақстан",
        "ҚАЗАҚСТАН",
        "Казакстан",
        "哈萨克斯坦",
        "KAZ",
    ],
)
def test_kazakhstan_in_any_spelling_or_language_is_kz(typed):
    assert country_code_from(typed) == "KZ"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Qozogʻiston", "KZ"), ("Qozog'iston", "KZ"), ("Oʻzbekiston", "UZ"), ("Узбекистан", "UZ"), ("中国", "CN")],
)
def test_other_countries_by_name(typed, code):
    assert country_code_from(typed) == code


@pytest.mark.parametrize("typed", ["5", "398", "XX", "", "   ", "Kazakh", "Atlantis"])
def test_numbers_unknown_codes_and_non_countries_are_not_countries(typed):
    assert country_code_from(typed) is None


@pytest.fixture
def published(db):
    return seed_set("kandas_card")


def _step(client, language, value):
    client.cookies["portal_language"] = language
    carried = {"ethnic_kazakh_proof": "yes"}
    return client.post(URL, {**carried, "step": CITIZENSHIP_STEP, "action": "next", "citizenship": value})


@pytest.mark.parametrize(
    ("language", "kazakhstan", "question"),
    [
        ("kk", "Қазақстан", "Сіз қай елдің азаматысыз?"),
        ("ru", "Казахстан", "Гражданином какой страны вы являетесь?"),
        ("en", "Kazakhstan", "Which country&#x27;s citizenship do you hold?"),
    ],
)
def test_the_question_is_a_country_select_named_in_the_page_language(client, published, language, kazakhstan, question):
    client.cookies["portal_language"] = language
    response = client.post(URL, {"step": 0, "action": "next", "ethnic_kazakh_proof": "yes"})
    assert response.context["field"].name == "citizenship"
    html = response.content.decode()
    assert '<select name="citizenship"' in html and 'data-module="select-search"' in html
    assert f'<option value="KZ">{kazakhstan}</option>' in html
    assert question in html
    assert "portal/select-search.js" in html and "<script>" not in html
    assert "two-letter" not in html


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("kk", "Тізімнен елді таңдаңыз: Сіз қай елдің азаматысыз?"),
        ("ru", "Выберите страну из списка: Гражданином какой страны вы являетесь?"),
        ("en", "Choose a country from the list for: Which country&#x27;s citizenship do you hold?"),
    ],
)
@pytest.mark.parametrize("value", ["5", "XX", "Atlantis"])
def test_a_number_or_unknown_code_is_refused_in_the_page_language(client, published, language, error, value):
    response = _step(client, language, value)
    assert response.status_code == 400
    assert response.context["field"].name == "citizenship"
    assert error in response.content.decode()


def test_a_name_typed_instead_of_chosen_moves_on(client, published):
    response = _step(client, "ru", "Узбекистан")
    assert response.status_code == 200
    assert response.context["field"].name == "track"


@pytest.mark.parametrize(
    ("language", "knockout"),
    [
        ("kk", "Қазақстаннан басқа елдің азаматтығы болуы керек"),
        ("ru", "У вас должно быть гражданство другой страны, не Казахстана"),
        ("en", "You must hold a citizenship other than Kazakhstan&#x27;s"),
    ],
)
@pytest.mark.parametrize("kazakhstan", ["KZ", "Казахстан", "Қазақстан", "kazakhstan"])
def test_kazakhstan_fails_the_knockout_in_every_language(client, published, language, knockout, kazakhstan):
    client.cookies["portal_language"] = language
    response = client.post(URL, {**KANDAS_ANSWERS, "citizenship": kazakhstan})
    assert response.status_code == 200
    assert response.context["result"]["status"] == "fail"
    assert knockout in response.content.decode()


def test_the_whole_form_refuses_a_number(client, published):
    response = client.post(URL, {**KANDAS_ANSWERS, "citizenship": "5"})
    assert response.status_code == 400
    assert "Choose a country from the list for:" in response.content.decode()


def test_check_your_answers_names_the_country_and_the_occupation_not_codes(client, published):
    client.cookies["portal_language"] = "ru"
    carried = {k: v for k, v in KANDAS_ANSWERS.items()}
    response = client.post(URL, {**carried, "step": 10, "action": "next"})
    rows = {row["question"]: row["answer"] for row in response.context["rows"]}
    assert rows["Гражданином какой страны вы являетесь?"] == "Узбекистан"
    answers = set(rows.values())
    assert "UZ" not in answers and "2211" not in answers and "KZ-59" not in answers
    assert "Generalist medical practitioners (2211)" in answers  # English until official titles ship


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [("NL", "ru", "Нидерланды"), ("FK", "zh-hans", "福克兰群岛"), ("NL", "en", "Netherlands (Kingdom of the)")],
)
def test_a_country_django_countries_left_in_english_reads_its_cldr_name(code, language, name):
    from portal.countries import country_name_for

    assert country_name_for(code, language) == name
