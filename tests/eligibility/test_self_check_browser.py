"""Real Chromium: the self-check's country question with search (portal/select-search.js)."""

import pytest

from tests.applications.applicant.test_browser import browser_page, portal_server  # noqa: F401 (fixtures)
from tests.eligibility.db_helpers import seed_set


def _to_citizenship(page, server, language: str) -> None:
    page.context.add_cookies([{"name": "portal_language", "value": language, "url": server.url}])
    page.goto(f"{server.url}/check/kandas_card/")
    page.check("input[name=ethnic_kazakh_proof][value=yes]")
    page.click("button[value=next]")
    page.wait_for_selector("#id_citizenship[role=combobox]")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_typing_part_of_a_name_in_russian_offers_the_country_and_fills_the_select(portal_server, browser_page):  # noqa: F811
    seed_set("kandas_card")
    page = browser_page
    _to_citizenship(page, portal_server, "ru")
    assert page.get_attribute("#id_citizenship-select", "hidden") is not None, "the native select is replaced"
    page.fill("#id_citizenship", "казах")
    option = page.wait_for_selector(".select-search__option")
    assert option.inner_text() == "Казахстан"
    assert page.get_attribute("#id_citizenship", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#id_citizenship-select") == "KZ"
    page.click("button[value=next]")
    page.wait_for_selector("input[name=track]")
    assert page.input_value("input[type=hidden][name=citizenship]") == "KZ"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_number_typed_and_not_chosen_is_refused_with_a_kazakh_error(portal_server, browser_page):  # noqa: F811
    seed_set("kandas_card")
    page = browser_page
    _to_citizenship(page, portal_server, "kk")
    page.fill("#id_citizenship", "5")
    page.click("button[value=next]")
    error = page.wait_for_selector(".error-message")
    assert "Тізімнен елді таңдаңыз" in error.inner_text()
