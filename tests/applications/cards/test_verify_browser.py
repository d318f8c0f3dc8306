"""The public check in a real Chromium: a share code from the holder, in Kazakh, Russian and English."""

import shutil
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.wsgi import get_wsgi_application

from applications.cards import services
from tests.services import IN_CI

# Committed data (the server thread reads it); serialized rollback restores the role groups.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server_url():
    """The real WSGI application on a loopback port, served from a thread."""
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def share(card, applicant):
    return services.share_code_create(card=card, purpose="work", actor=applicant)


@pytest.fixture
def page():
    if shutil.which(CHROMIUM) is None:
        if IN_CI:
            pytest.fail("Chromium is needed for browser tests")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.mark.parametrize(
    ("language", "button", "valid"),
    [
        ("kk", "Картаны тексеру", "Карта жарамды"),
        ("ru", "Проверить карту", "Карта действительна"),
        ("en", "Check the card", "This card is valid"),
    ],
)
def test_an_employer_checks_a_card_with_a_share_code(server_url, card, share, page, language, button, valid):
    # `page` comes last: Playwright's loop makes the ORM refuse calls while it runs.
    page.context.add_cookies([{"name": "portal_language", "value": language, "url": server_url}])
    page.goto(f"{server_url}/verify/")
    assert page.locator("html").get_attribute("lang") == language
    inputs = page.locator("form input[type=text]")
    inputs.nth(0).fill(f"{card.number[:2]} {card.number[2:4]} {card.number[4:10]} {card.number[10:]}")
    inputs.nth(1).fill(services.format_code(share.code).lower())
    page.get_by_role("button", name=button).click()
    assert page.get_by_role("heading", level=1).inner_text() == valid
    assert card.holder_name in page.content()
