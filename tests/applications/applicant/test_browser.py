"""Real Chromium: occupation search-as-you-type and the session-timeout warning with autosave."""

import os
import shutil

import pytest

from applications import sections, services
from tests.applications.applicant.conftest import verify
from tests.services import IN_CI

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def portal_server(transactional_db):
    """Django's live server thread, started with a MEDIA_URL for its media handler.

    The portal leaves MEDIA_URL unset (private files have no URL) and Django's test media
    handler cannot take None, so this server gets a path nothing links to.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connection
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    # Only an in-memory database must be shared with the server thread (Django's own rule in
    # LiveServerTestCase); the SQLite test database is a file (portal/settings/base.py), and a
    # connection shared by two threads at once is what broke these tests on SQLite.
    overrides = {"default": connection} if connection.vendor == "sqlite" and connection.is_in_memory_db() else None
    with override_settings(MEDIA_URL="/__no-public-media__/"):
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=overrides, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
    if thread.error:
        raise thread.error

    class Server:
        url = f"http://127.0.0.1:{thread.port}"

    yield Server()
    thread.terminate()


@pytest.fixture
def browser_page():
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail("Chromium is needed for the browser tests")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield browser.new_page()
            browser.close()
            # The test's ORM calls ran inside Playwright's greenlet, which Django treats as a
            # context of its own: close that context's connection, or it outlives the test.
            from django.db import connections

            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page, portal_server, email: str) -> None:
    page.goto(f"{portal_server.url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{portal_server.url}/**")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_occupation_search_as_you_type_fills_the_plain_field(portal_server, applicant, browser_page):
    verify(applicant)
    application = services.application_start(owner=applicant, product="skills_visa")
    sign_in(browser_page, portal_server, applicant.email)
    browser_page.goto(f"{portal_server.url}/applications/{application.pk}/section/occupation/")
    browser_page.fill("#id_occupation_code", "software dev")
    browser_page.wait_for_selector(".occupation-search__option")
    browser_page.keyboard.press("ArrowDown")
    browser_page.keyboard.press("Enter")
    assert browser_page.input_value("#id_occupation_code-select") == "2512"
    browser_page.fill("#id_job_title", "Data scientist")
    browser_page.click("button[value=continue]")
    browser_page.wait_for_url(f"{portal_server.url}/applications/{application.pk}/section/education/")
    application.refresh_from_db()
    assert application.occupation_code == "2512"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_timeout_warning_offers_to_stay_signed_in_and_saves_typed_answers_before_the_end(
    portal_server, applicant, browser_page, settings
):
    verify(applicant)
    application = services.application_start(owner=applicant, product="kandas_card")
    settings.APPLICANT_SESSION_IDLE_SECONDS = 120
    settings.APPLICANT_SESSION_WARNING_SECONDS = 119  # the warning shows after one second
    sign_in(browser_page, portal_server, applicant.email)
    browser_page.goto(f"{portal_server.url}/applications/{application.pk}/section/contact/")
    dialog = browser_page.wait_for_selector("#session-timeout .session-dialog", state="visible", timeout=5000)
    assert "Stay signed in" in dialog.inner_text()
    with browser_page.expect_response("**/accounts/session/keep-alive/") as answer:
        browser_page.click("[data-action=stay]")
    assert answer.value.status == 200
    browser_page.wait_for_selector("#session-timeout", state="hidden")

    # Now let the session run out: the typed answer is saved for later just before.
    settings.APPLICANT_SESSION_IDLE_SECONDS = 16  # autosave fires 15 s before the end
    settings.APPLICANT_SESSION_WARNING_SECONDS = 10
    browser_page.goto(f"{portal_server.url}/applications/{application.pk}/section/contact/")
    browser_page.fill("#id_city", "Olgii")
    browser_page.wait_for_url(f"{portal_server.url}/applications/{application.pk}/tasks/", timeout=10000)
    application.refresh_from_db()
    assert application.answers["contact"]["city"] == "Olgii"
    assert application.answers[sections.PROGRESS_KEY]["contact"] == sections.IN_PROGRESS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_with_errors_puts_focus_on_the_error_summary_whose_links_reach_the_fields(
    portal_server, applicant, browser_page
):
    verify(applicant)
    application = services.application_start(owner=applicant, product="skills_visa")
    sign_in(browser_page, portal_server, applicant.email)
    browser_page.goto(f"{portal_server.url}/applications/{application.pk}/section/languages/")
    browser_page.click("button[value=continue]")
    browser_page.wait_for_selector(".error-summary")
    assert browser_page.evaluate("document.activeElement.classList.contains('error-summary')")
    browser_page.click(".error-summary__list a >> nth=0")
    assert browser_page.evaluate("document.activeElement.id") == "id_kazakh_0"
