"""Country names in Kazakh and Uzbek come from CLDR (django-countries has none), never English."""

import pytest
from babel import Locale
from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES

from applications.forms.fields import country_choices


@pytest.mark.parametrize(("language", "china", "mongolia"), [("kk", "Қытай", "Моңғолия"), ("uz", "Xitoy", "Mongoliya")])
def test_kazakh_and_uzbek_names_are_cldrs(language, china, mongolia):
    with translation.override(language):
        assert countries.name("CN") == china and countries.name("MN") == mongolia
        names = dict(country_choices())
    assert names["CN"] == china


@pytest.mark.parametrize("language", ["kk", "uz"])
def test_no_country_keeps_its_english_name_in_kazakh_or_uzbek(language):
    cldr = Locale.parse(language).territories
    with translation.override(language):
        names = dict(countries)
    with translation.override("en"):
        english = dict(countries)
    assert set(names) == set(COUNTRIES)
    for code, name in names.items():
        assert name == cldr[code], code
    if language == "kk":  # Cyrillic: no name may read as the English one
        assert [code for code in names if names[code] == english[code]] == []


def test_other_languages_keep_django_countries_names():
    with translation.override("ru"):
        assert countries.name("CN") == "Китай"
    with translation.override("en"):
        assert countries.name("KZ") == "Kazakhstan"
