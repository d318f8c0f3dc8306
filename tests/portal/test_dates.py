"""Dates and numbers per language: CLDR formats for kk, one long date style on every page and the card.

12 May 1990 used to print as "05/12/1990" in kk and en (Django has no kk formats and the
card used SHORT_DATE_FORMAT): read as 5 December by most of the world.
"""

import datetime

import pytest
from babel import Locale
from babel.dates import format_date
from django.conf import settings
from django.utils import formats, timezone, translation

from portal.display import card_number, date_display, datetime_display

MAY_12 = datetime.date(1990, 5, 12)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The month name as each language writes it in a long date (CLDR).
MONTH = {"kk": "мамыр", "ru": "мая", "en": "May", "uz": "may", "zh-hans": "5月"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_long_date_is_the_cldr_long_date_with_the_month_name(language):
    text = date_display(MAY_12, language)
    assert text == format_date(MAY_12, "long", locale=translation.to_locale(language))
    assert MONTH[language] in text and "1990" in text and "12" in text
    assert "05/12" not in text and "5/12" not in text


def test_kazakh_reads_year_day_month_as_cldr_says():
    assert date_display(MAY_12, "kk") == "1990\u202fж. 12 мамыр"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_date_time_keeps_the_long_date_and_local_time(language):
    moment = timezone.make_aware(datetime.datetime(1990, 5, 12, 14, 5), timezone.get_default_timezone())
    text = datetime_display(moment, language)
    assert text.startswith(date_display(MAY_12, language)) and ("14:05" in text or "2:05" in text)


def test_iso_strings_from_payloads_are_shown_as_dates_and_nothing_as_a_dash():
    assert date_display("1990-05-12", "en") == "May 12, 1990"
    assert date_display(None) == "—"


def test_kazakh_format_module_follows_cldr():
    kk = Locale.parse("kk")
    with translation.override("kk"):
        # CLDR short date "dd.MM.yy", written with a four-digit year.
        assert str(kk.date_formats["short"]) == "dd.MM.yy"
        assert formats.date_format(MAY_12, "SHORT_DATE_FORMAT") == "12.05.1990"
        assert formats.get_format("DECIMAL_SEPARATOR") == kk.number_symbols["latn"]["decimal"]
        assert formats.get_format("THOUSAND_SEPARATOR") == kk.number_symbols["latn"]["group"]
        assert formats.get_format("FIRST_DAY_OF_WEEK") == (kk.first_week_day + 1) % 7
        assert formats.date_format(MAY_12, "DATE_FORMAT").startswith("1990 ж. 12 ")
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1\xa0234\xa0567,5"
        # What a person types in a date field is understood.
        assert datetime.datetime.strptime("12.05.1990", formats.get_format("DATE_INPUT_FORMATS")[0]).date() == MAY_12


def test_the_card_number_has_one_printed_form():
    assert card_number("KC2600000187") == "KC 26 000001 87"
    assert card_number("kc 26 000001 87") == "KC 26 000001 87"
