"""Hostile input on the applicant's pages: a 400 naming the field, never a 500 or a silent save."""

import pytest

from tests.applications.applicant.conftest import KANDAS_PAGES

pytestmark = pytest.mark.django_db


def _section(client, application, slug, **changes):
    return client.post(f"/applications/{application.pk}/section/{slug}/", {**KANDAS_PAGES[slug], **changes})


@pytest.mark.parametrize("action", ["continue", "later"])
def test_a_nul_character_in_an_answer_is_refused_naming_the_field(applicant_client, kandas_draft, action):
    response = _section(applicant_client, kandas_draft, "personal", birth_place="Olg\x00ii", action=action)
    assert response.status_code == 400
    assert "Town or city of birth contains a character that cannot be used" in response.content.decode()
    kandas_draft.refresh_from_db()
    assert "personal" not in kandas_draft.answers


def test_save_for_later_refuses_a_value_longer_than_its_field(applicant_client, kandas_draft):
    response = _section(applicant_client, kandas_draft, "personal", birth_place="x" * 1_000_000, action="later")
    assert response.status_code == 400
    assert "Town or city of birth must be 100 characters or fewer" in response.content.decode()
    kandas_draft.refresh_from_db()
    assert "personal" not in kandas_draft.answers


def test_save_for_later_still_keeps_an_unfinished_page(applicant_client, kandas_draft):
    response = _section(
        applicant_client, kandas_draft, "personal", birth_place="", given_names_latin="1", action="later"
    )
    assert response.status_code == 302
    kandas_draft.refresh_from_db()
    assert kandas_draft.answers["personal"]["given_names_latin"] == "1"


def test_a_choice_or_number_field_has_a_length_bound_too(applicant_client, kandas_draft):
    response = _section(applicant_client, kandas_draft, "personal", birth_country="Z" * 5000, action="later")
    assert response.status_code == 400
    assert "Country of birth must be 1000 characters or fewer" in response.content.decode()


def test_a_replace_link_that_is_not_a_number_is_a_400_with_a_message(applicant_client, kandas_draft, settings):
    applicant_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = applicant_client.get(f"/applications/{kandas_draft.pk}/documents/upload/other/?replace=abc")
    assert response.status_code == 400
    assert "The link to the file to replace is not valid" in response.content.decode()
    missing = applicant_client.get(f"/applications/{kandas_draft.pk}/documents/upload/other/?replace=999999")
    assert missing.status_code == 404


def test_a_nul_in_any_query_string_is_a_400_page_in_the_users_language(applicant_client, kandas_draft):
    response = applicant_client.get(f"/applications/{kandas_draft.pk}/tasks/?q=%00")
    assert response.status_code == 400
    assert "q contains a character that cannot be used" in response.content.decode()
    kazakh = applicant_client.get(f"/applications/{kandas_draft.pk}/tasks/?q=%00", HTTP_ACCEPT_LANGUAGE="kk")
    assert kazakh.status_code == 400
