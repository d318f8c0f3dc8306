"""Every applicant page of both products through the test client, including error paths."""

import pytest
from django.urls import reverse

from applications import sections
from applications.models import Application
from eligibility.products import Product
from tests.applications.applicant.conftest import BUSINESS_PAGE, KANDAS_PAGES, PAGES, VISA_PAGES, fill_pages

pytestmark = pytest.mark.django_db


def section_url(application, slug):
    return f"/applications/{application.pk}/section/{slug}/"


def test_choose_page_lists_both_products_and_links_the_self_check(applicant_client):
    response = applicant_client.get("/applications/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="kandas_card"' in body and 'value="skills_visa"' in body
    assert reverse("eligibility:self_check_start") in body


def test_choosing_nothing_shows_an_error_summary(applicant_client):
    response = applicant_client.post("/applications/new/", {})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_choosing_a_product_twice_resumes_the_same_draft(applicant_client, verified_applicant):
    first = applicant_client.post("/applications/new/", {"product": "kandas_card"})
    second = applicant_client.post("/applications/new/", {"product": "kandas_card"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.filter(owner=verified_applicant).count() == 1


@pytest.mark.parametrize("product", [Product.KANDAS_CARD, Product.SKILLS_VISA])
def test_every_section_page_renders_for_a_new_draft(applicant_client, verified_applicant, product):
    from applications.services import application_start

    application = application_start(owner=verified_applicant, product=product)
    response = applicant_client.get(f"/applications/{application.pk}/tasks/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cannot start yet" in body or "Not started" in body
    for slug in PAGES[product]:
        page = applicant_client.get(section_url(application, slug))
        if slug == "profession":
            assert page.status_code == 302  # cannot start before the track is chosen
            continue
        assert page.status_code == 200, slug
        assert 'name="version"' in page.content.decode()


@pytest.mark.parametrize("product", [Product.KANDAS_CARD, Product.SKILLS_VISA])
def test_every_section_refuses_an_empty_form_with_an_error_summary_linking_to_fields(
    applicant_client, verified_applicant, product
):
    from applications.services import application_start

    application = application_start(owner=verified_applicant, product=product)
    applicant_client.post(section_url(application, "track"), {"track": "professional", "action": "continue"})
    for slug in PAGES[product]:
        response = applicant_client.post(section_url(application, slug), {"action": "continue"})
        assert response.status_code == 400, slug
        body = response.content.decode()
        assert 'class="error-summary"' in body
        assert '<a href="#id_' in body, slug
        assert "<title>Error:" in body


def test_all_pages_of_the_kandas_card_save_and_complete_the_task_list(applicant_client, kandas_draft):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    kandas_draft.refresh_from_db()
    progress = kandas_draft.answers[sections.PROGRESS_KEY]
    assert all(progress[slug] == sections.COMPLETED for slug in KANDAS_PAGES)
    assert kandas_draft.applicant_name == "AIGERIM NURLANOVA"
    assert kandas_draft.passport_number == "E1234567"
    assert kandas_draft.region_id == "KZ-55"
    assert kandas_draft.occupation_code == "2512"
    assert kandas_draft.track == "professional"
    assert kandas_draft.version > len(KANDAS_PAGES)
    assert kandas_draft.answers["personal"]["date_of_birth"] == "1990-05-17"


def test_the_business_track_asks_for_the_business_case_instead_of_the_profession(applicant_client, kandas_draft):
    applicant_client.post(section_url(kandas_draft, "track"), {"track": "business", "action": "continue"})
    tasks = applicant_client.get(f"/applications/{kandas_draft.pk}/tasks/").content.decode()
    assert "Business case" in tasks and "/section/profession/" not in tasks
    response = applicant_client.post(section_url(kandas_draft, "business"), {**BUSINESS_PAGE, "action": "continue"})
    assert response.status_code == 302
    kandas_draft.refresh_from_db()
    assert kandas_draft.sector == "business"
    assert kandas_draft.answers["business"]["annual_revenue_usd"] == 1200000


def test_all_pages_of_the_skills_visa_save_and_copy_the_indexed_columns(applicant_client, visa_draft):
    fill_pages(applicant_client, visa_draft, VISA_PAGES)
    visa_draft.refresh_from_db()
    assert visa_draft.sector == "it"
    assert visa_draft.occupation_code == "2512"
    assert visa_draft.region_id == "KZ-71"
    assert visa_draft.answers["regions"]["regions"] == ["KZ-71", "KZ-75"]
    assert visa_draft.answers["job_offer"]["employer_bin"] == "123456789013"


def test_values_are_kept_when_a_page_has_errors(applicant_client, kandas_draft):
    data = {**KANDAS_PAGES["personal"], "given_names_latin": "Айгерим", "action": "continue"}
    response = applicant_client.post(section_url(kandas_draft, "personal"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Айгерим"' in body
    assert 'value="Nurlanova"' in body
    assert 'value="1990"' in body
    assert "Use only Latin letters" in body
    assert 'aria-invalid="true"' in body


def test_save_and_come_back_later_keeps_unfinished_answers_without_validating(applicant_client, kandas_draft):
    response = applicant_client.post(
        section_url(kandas_draft, "personal"),
        {"given_names_latin": "Aigerim", "date_of_birth_2": "19", "action": "later"},
    )
    assert response.status_code == 302
    kandas_draft.refresh_from_db()
    assert kandas_draft.answers[sections.PROGRESS_KEY]["personal"] == sections.IN_PROGRESS
    page = applicant_client.get(section_url(kandas_draft, "personal")).content.decode()
    assert 'value="Aigerim"' in page and 'value="19"' in page
    tasks = applicant_client.get(f"/applications/{kandas_draft.pk}/tasks/").content.decode()
    assert "In progress" in tasks


def test_a_page_saved_in_another_tab_is_not_silently_overwritten(applicant_client, kandas_draft):
    old_version = kandas_draft.version
    data = {**KANDAS_PAGES["contact"], "action": "continue"}
    assert (
        applicant_client.post(section_url(kandas_draft, "contact"), {**data, "version": old_version}).status_code == 302
    )
    stale = applicant_client.post(
        section_url(kandas_draft, "contact"), {**data, "city": "Khovd", "version": old_version}
    )
    assert stale.status_code == 400
    assert "changed in another window" in stale.content.decode()
    kandas_draft.refresh_from_db()
    assert kandas_draft.answers["contact"]["city"] == "Ulaanbaatar"


def test_region_page_flags_labour_deficient_regions_with_their_incentives(applicant_client, kandas_draft):
    body = applicant_client.get(section_url(kandas_draft, "region")).content.decode()
    assert body.count("Labour-deficient region") == 10
    assert "70 MRP" in body
    assert body.count('type="radio"') == 20


def test_family_members_are_added_one_at_a_time_and_can_be_removed(applicant_client, kandas_draft):
    url = f"/applications/{kandas_draft.pk}/family/"
    assert applicant_client.get(url).status_code == 200
    bad = applicant_client.post(url, {"action": "add", "member-name_latin": "Ерлан"})
    assert bad.status_code == 400
    member = {
        "action": "add",
        "member-name_latin": "Erlan Nurlanov",
        "member-relationship": "spouse",
        "member-date_of_birth_0": "2",
        "member-date_of_birth_1": "3",
        "member-date_of_birth_2": "1988",
    }
    assert applicant_client.post(url, member).status_code == 302
    assert (
        applicant_client.post(
            url, {**member, "member-name_latin": "Aruzhan", "member-relationship": "child"}
        ).status_code
        == 302
    )
    kandas_draft.refresh_from_db()
    assert [m["name_latin"] for m in kandas_draft.answers["family"]["members"]] == ["ERLAN NURLANOV", "ARUZHAN"]
    assert applicant_client.post(url, {"action": "remove-1"}).status_code == 302
    assert applicant_client.post(url, {"action": "confirm", "coming": "yes"}).status_code == 302
    kandas_draft.refresh_from_db()
    assert kandas_draft.answers[sections.PROGRESS_KEY]["family"] == sections.COMPLETED
    assert len(kandas_draft.answers["family"]["members"]) == 1


def test_saying_family_is_coming_without_adding_anyone_is_an_error(applicant_client, kandas_draft):
    response = applicant_client.post(f"/applications/{kandas_draft.pk}/family/", {"action": "confirm", "coming": "yes"})
    assert response.status_code == 400
    assert "Add at least one family member" in response.content.decode()


def test_the_skills_visa_has_no_family_page(applicant_client, visa_draft):
    assert applicant_client.get(f"/applications/{visa_draft.pk}/family/").status_code == 404


def test_occupation_search_finds_occupations_by_words_and_by_code(client, db):
    words = client.get("/applications/occupations/search/", {"q": "software dev"}).json()["results"]
    assert {"code": "2512", "title": "Software developers"} in words
    codes = client.get("/applications/occupations/search/", {"q": "251"}).json()["results"]
    assert {r["code"] for r in codes} >= {"2511", "2512", "2513", "2514", "2519"}
    assert client.get("/applications/occupations/search/", {"q": "s"}).json() == {"results": []}


def test_the_occupation_field_works_without_javascript_as_a_select(applicant_client, visa_draft):
    body = applicant_client.get(section_url(visa_draft, "occupation")).content.decode()
    assert '<select name="occupation_code"' in body
    assert 'data-module="occupation-search"' in body
    assert 'value="2512"' in body
    assert "occupation-search.js" in body and "<script>" not in body


def test_my_applications_lists_only_my_own(applicant_client, kandas_draft, verified_stranger):
    from applications.services import application_start

    application_start(owner=verified_stranger, product=Product.SKILLS_VISA)
    body = applicant_client.get("/applications/").content.decode()
    assert f"/applications/{kandas_draft.pk}/" in body
    assert "Valuable Skills Visa" not in body.split("<tbody>")[1]
