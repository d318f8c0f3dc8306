"""Occupation titles: one owner, titles in the page language, files per language, search.

The Russian fixture (tests/eligibility/data/occupation_titles/) holds four real ОКЗ titles of
unit groups whose code and scope are ISCO-08's; production ships no titles file yet
(eligibility/data/README.md, section 4).
"""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from eligibility import occupations
from eligibility.models import Occupation, ScarceProfession
from eligibility.occupations import (
    has_own_titles,
    occupation_choices,
    occupation_label,
    occupation_title,
    occupation_title_exact,
    occupations_search,
)
from eligibility.rating import rating_export
from portal.search_text import fold

FIXTURE = Path(__file__).parent / "data" / "occupation_titles"
WEB = "Разработчики Web и мультимедийных приложений"
ASTROLOGERS = "Астрологи, гадалки и родственные работники"


@pytest.fixture
def russian_titles(settings):
    settings.OCCUPATION_TITLES_DIR = str(FIXTURE)


@pytest.fixture
def no_titles(settings, tmp_path):
    settings.OCCUPATION_TITLES_DIR = str(tmp_path)


def test_every_unit_group_has_its_english_title(no_titles):
    choices = occupation_choices("en")
    assert len(choices) == 436
    assert ("0110", "Commissioned armed forces officers (0110)") in choices
    assert occupation_title("2512", "en") == "Software developers"


@pytest.mark.parametrize("language", ["kk", "ru", "en", "uz", "zh-hans"])
def test_without_a_titles_file_every_language_reads_the_english_title(no_titles, language):
    assert occupation_title("2513", language) == "Web and multimedia developers"
    assert has_own_titles(language) is (language == "en")


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ru", WEB),
        ("kk", WEB),  # no Kazakh file: Kazakh pages read the Russian title (issue 16)
        ("en", "Web and multimedia developers"),
        ("uz", "Web and multimedia developers"),
    ],
)
def test_a_titles_file_is_used_in_its_language_and_kazakh_falls_back_to_russian(russian_titles, language, title):
    assert occupation_title("2513", language) == title
    assert occupation_label("2513", language) == f"{title} (2513)"


def test_a_code_the_file_lacks_reads_in_english_and_the_page_language_is_the_default(russian_titles):
    assert occupation_title("2211", "ru") == "Generalist medical practitioners"
    with translation.override("ru"):
        assert occupation_title("5161") == ASTROLOGERS
        assert has_own_titles() is True
    assert occupation_title_exact("5161", "ru") == ASTROLOGERS
    assert occupation_title_exact("5161", "kk") == ""
    assert occupation_label("9999", "ru") == "9999"


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("code,title\n9999,Несуществующие\n", "not ISCO-08 unit groups: 9999"),
        ("code,title\n2513,Раз\n2513,Два\n", "2513 is listed twice"),
        ("code,title\n2513,\n", "2513 has no title"),
        ("code,name\n2513,Веб\n", "missing column(s) title"),
    ],
)
def test_a_bad_titles_file_is_refused_loudly(settings, tmp_path, rows, problem):
    (tmp_path / "isco08_titles_ru.csv").write_text(rows, encoding="utf-8")
    settings.OCCUPATION_TITLES_DIR = str(tmp_path)
    with pytest.raises(ImproperlyConfigured, match=problem.replace("(", r"\(").replace(")", r"\)")):
        occupations.catalogue()


def test_english_titles_cannot_be_overridden_by_a_file(settings, tmp_path):
    (tmp_path / "isco08_titles_en.csv").write_text("code,title\n2513,Other\n", encoding="utf-8")
    settings.OCCUPATION_TITLES_DIR = str(tmp_path)
    with pytest.raises(ImproperlyConfigured, match="English titles come from"):
        occupations.catalogue()


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("ru", "мультимедийных", "2513"),
        ("ru", "АСТРОЛОГИ гадалки", "5161"),
        ("kk", "астролог", "5161"),  # Kazakh pages search the Russian fallback
        ("ru", "software developers", "2512"),  # and the English title, in any language
        ("en", "fortune-tellers", "5161"),
    ],
)
def test_search_finds_titles_in_the_users_language(russian_titles, language, query, expected):
    found = occupations_search(query, language)
    assert expected in [code for code, _title in found]
    assert dict(found)[expected] == occupation_title(expected, language)


def test_search_does_not_match_a_language_the_page_does_not_read(russian_titles):
    assert occupations_search("астролог", "en") == []


def test_search_by_code_prefix_and_limits(russian_titles):
    assert [code for code, _ in occupations_search("251", "ru")] == ["2511", "2512", "2513", "2514", "2519"]
    assert len(occupations_search("workers", "en")) == occupations.SEARCH_LIMIT
    assert len(occupations_search("workers", "en", limit=None)) > occupations.SEARCH_LIMIT
    assert occupations_search("  ", "en") == []


def test_titles_with_a_word_starting_with_the_query_come_first(no_titles):
    found = occupations_search("art", "en", limit=None)
    starts = [any(w.startswith("art") for w in title.lower().split()) for _code, title in found]
    assert starts[0] and not starts[-1]
    assert starts == sorted(starts, reverse=True), "word-start matches lead, mid-word ones follow"
    assert ("2165", "Cartographers and surveyors") in found


def test_fold_reads_kazakh_letters_accents_and_case_alike():
    assert fold("ҚАЗАҚСТАН") == fold("казакстан")
    assert fold("Oʻzbekiston") == "o zbekiston"
    assert fold("Ёлка Café") == "елка cafe"


# --------------------------------------------------------------------------- every user of titles


@pytest.mark.django_db
def test_the_model_and_the_admin_list_read_the_owner(russian_titles):
    with translation.override("ru"):
        assert Occupation.objects.get(pk="2513").title == WEB
        assert str(Occupation.objects.get(pk="2513")) == f"2513 {WEB}"


@pytest.mark.django_db
def test_application_search_endpoint_answers_in_the_page_language(client, russian_titles, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("applications:occupation_search"), {"q": "астролог"})
    assert response.json() == {"results": [{"code": "5161", "title": ASTROLOGERS}]}
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_application_occupation_choices_delegate_to_the_owner(russian_titles):
    from applications.forms.fields import occupation_choices as application_choices

    with translation.override("kk"):
        choices = dict(application_choices())
    assert choices["2513"] == f"{WEB} (2513)"
    assert len(choices) == 437  # the empty choice and every unit group


@pytest.mark.django_db
def test_api_titles_and_search_follow_the_request_language(russian_titles):
    api = APIClient()
    one = api.get("/api/v1/occupations/5161/", HTTP_ACCEPT_LANGUAGE="kk").json()
    assert (one["title"], one["title_ru"], one["title_kk"]) == (ASTROLOGERS, ASTROLOGERS, "")
    assert one["title_en"] == "Astrologers, fortune-tellers and related workers"
    found = api.get("/api/v1/occupations/", {"q": "гадалки"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert [r["code"] for r in found["results"]] == ["5161"]
    english = api.get("/api/v1/occupations/", {"q": "гадалки"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"] == []


@pytest.mark.django_db
def test_rating_export_names_each_occupation_in_the_language(russian_titles):
    ScarceProfession.objects.create(occupation_id="2513", year=2026, sector="it", priority=1)
    with translation.override("ru"):
        assert rating_export(2026) == f"isco_code,year,sector,priority,title\n2513,2026,it,1,{WEB}\n"


@pytest.mark.django_db
def test_rating_admin_search_finds_occupations_in_the_admins_language(admin_client, russian_titles, settings):
    ScarceProfession.objects.create(occupation_id="5161", year=2026, sector="culture", priority=2)
    ScarceProfession.objects.create(occupation_id="2211", year=2026, sector="healthcare", priority=1)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = admin_client.get(reverse("admin:eligibility_scarceprofession_changelist"), {"q": "гадалки"})
    assert [row.occupation_id for row in response.context["cl"].result_list] == ["5161"]
    assert ASTROLOGERS in response.content.decode()


@pytest.mark.django_db
def test_the_case_page_shows_the_title_in_the_caseworkers_language(russian_titles):
    from applications.forms.fields import OccupationField
    from applications.selectors import display_value

    with translation.override("kk"):
        assert display_value(OccupationField(), "2513") == f"{WEB} (2513)"


@pytest.mark.django_db
def test_the_self_check_lists_occupations_in_the_page_language_with_search(client, russian_titles, settings):
    from tests.eligibility.db_helpers import seed_set

    seed_set("kandas_card")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    html = client.get(reverse("eligibility:self_check", args=["kandas_card"]) + "?all=1").content.decode()
    assert f'<option value="2513">{WEB} (2513)</option>' in html
    select = html[html.index('<select name="occupation_code"') :].split(">", 1)[0]
    assert 'data-module="select-search"' in select
