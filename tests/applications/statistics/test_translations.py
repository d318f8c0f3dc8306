"""The public statistics pages with figures in them read wholly in each applicant language:
no English sentence, no region or country code (tests/portal/test_translation_leaks.py's check)."""

import re

import pytest
from django.urls import reverse

from applications.statistics.services import release_compute
from tests.portal.test_translation_leaks import APPLICANT_LANGUAGES, leaks

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(month_of_cases):
    return release_compute(period=month_of_cases)


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("measure", ["submitted", "issued"])
@pytest.mark.parametrize("dimension", ["region", "citizenship", "sector"])
def test_the_statistics_page_has_no_english_left(client, release, settings, language, measure, dimension):
    url = reverse("statistics:statistics") + f"?period=2026-10&measure={measure}&dimension={dimension}"
    assert leaks(client, url, language, settings) == []
    html = client.get(url).content.decode()
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))
    assert not re.search(r"\bKZ-\d\d\b|\b(CN|MN|UZ)\b|\bunknown\b|\bkandas_card\b|\bskills_visa\b", visible)


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_the_quota_page_and_an_error_page_have_no_english_left(client, release, settings, language):
    assert leaks(client, reverse("statistics:quotas") + "?year=2026", language, settings) == []
    assert leaks(client, reverse("statistics:statistics") + "?measure=bogus", language, settings) == []
