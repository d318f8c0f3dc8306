import pytest


@pytest.fixture(autouse=True)
def _english_pages(client):
    """These tests assert the English wording; the kk/ru pages are covered by the tests
    that set the language explicitly (which override this cookie)."""
    client.cookies["portal_language"] = "en"
