import pytest


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """English pages, so that assertions read plainly (tests of other languages set their own)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
