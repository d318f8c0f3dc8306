import pytest
from django.contrib.messages import get_messages


@pytest.fixture(autouse=True)
def _english_pages(client):
    """These tests assert the English wording; the kk/ru pages are covered by the tests
    that set the language explicitly (which override this cookie)."""
    client.cookies["portal_language"] = "en"


@pytest.fixture
def admin_client(client, criteria_admin):
    """The Django admin as a criteria administrator (not a superuser)."""
    client.force_login(criteria_admin)
    return client


def admin_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]
