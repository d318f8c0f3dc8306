"""A new applicant, in Kazakh: sign up, confirm the e-mail address from the file e-mail
backend, fill every page of a Kandas Card application, upload the documents (a real photo
among them, checked by the document pipeline), check the answers and submit."""

import quopri
import re

import pytest

from applications import sections
from applications.models import Application, Document
from applications.states import State
from tests.applications.applicant.conftest import KANDAS_PAGES
from tests.browser.conftest import check_page, photo_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "jana.otandas@example.org"
PASSWORD = "tengri-sky-8812"


def picture(path, size: tuple[int, int], color: tuple[int, int, int]) -> str:
    path.write_bytes(photo_jpeg(size, color))
    return str(path)


def fill_section(page, data: dict[str, str]) -> None:
    for name, value in data.items():
        field = page.locator(f'[name="{name}"]')
        if field.count() == 0:
            raise AssertionError(f"no field {name} on {page.url}")
        first = field.first
        tag = first.evaluate("e => e.tagName.toLowerCase()")
        kind = (first.get_attribute("type") or "").lower()
        if name == "occupation_code":
            # Search-as-you-type replaces the plain select (occupation-search.js): type, pick.
            page.fill("#id_occupation_code", value)
            page.locator(".occupation-search__option").first.click()
        elif tag == "select":
            first.select_option(value)
        elif kind == "radio":
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "checkbox":
            if value:
                first.check()
        else:
            first.fill(value)


def test_new_applicant_signs_up_in_kazakh_and_submits_a_kandas_card(page, web_server, tmp_path):
    page.goto("/accounts/sign-up/")
    check_page(page, "journey-sign-up-kk")
    page.fill('[name="email"]', EMAIL)
    page.fill('[name="password1"]', PASSWORD)
    page.fill('[name="password2"]', PASSWORD)
    page.check('[name="preferred_language"][value="kk"]')
    page.click("main button[type=submit]")
    page.wait_for_url("**/check-your-email/**")
    check_page(page, "journey-check-your-email")

    [message] = web_server.mails()
    body = quopri.decodestring(message.encode()).decode(errors="replace")
    link = re.search(r"https?://[^\s\"<>]+/accounts/verify/[^\s\"<>]+", body).group(0)
    page.goto(link)
    check_page(page, "journey-email-verified")

    page.goto("/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "verify" not in page.url, page.url

    page.goto("/applications/new/")
    check_page(page, "journey-choose-product")
    page.check("#product-kandas_card")
    page.click("main button[type=submit]")
    page.wait_for_url("**/tasks/")
    assert page.get_attribute("html", "lang") == "kk"
    check_page(page, "journey-task-list")
    application = Application.objects.get(owner__email=EMAIL)

    for slug, data in KANDAS_PAGES.items():
        page.goto(f"/applications/{application.pk}/section/{slug}/")
        if slug == "personal":
            check_page(page, "journey-section-personal")
        fill_section(page, data)
        page.click('main button[name="action"][value="continue"]')
        page.wait_for_load_state()
        # Saved and moved on: an error would keep us on this section's page.
        assert f"/section/{slug}/" not in page.url, (
            slug,
            page.inner_text(".error-summary") if page.locator(".error-summary").count() else "",
        )
    page.goto(f"/applications/{application.pk}/family/")
    page.locator('[name="coming"][value="no"]').check()
    page.click('main button[name="action"][value="confirm"]')
    page.wait_for_load_state()

    application.refresh_from_db()
    kinds = sections.required_document_kinds(application.product, application.track, application.answers)
    assert Document.Kind.PHOTO in kinds
    page.goto(f"/applications/{application.pk}/documents/")
    check_page(page, "journey-documents")
    for n, kind in enumerate(kinds):
        size = (420, 540) if kind == Document.Kind.PHOTO else (800, 600)
        path = picture(tmp_path / f"{kind}.jpg", size, (40 + 20 * n, 90, 150))
        page.goto(f"/applications/{application.pk}/documents/upload/{kind}/")
        if kind == Document.Kind.PHOTO:
            check_page(page, "journey-upload-photo")
        page.set_input_files('input[type="file"]', path)
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/applications/{application.pk}/documents/**")
    assert set(application.documents.values_list("status", flat=True)) == {Document.Status.READY}

    page.goto(f"/applications/{application.pk}/check/")
    check_page(page, "journey-check-answers")
    page.check('[name="confirm"]')
    page.click("main form button[type=submit]")
    page.wait_for_url("**/submitted/**")
    check_page(page, "journey-confirmation")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.reference.startswith("KC-")
    assert application.reference in page.inner_text("main")
