"""The Django admin and every other page refuse a NUL in the path or query string with a 400."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    from portal.models import User

    user = User.objects.create_superuser(email="root@example.kz", password="correct-horse-battery-9")
    client = Client()
    client.force_login(user)
    client.cookies["portal_language"] = "en"
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/applications/application/?q=%00",
        "/admin/applications/application/?state__exact=%00",
        "/admin/eligibility/region/?q=%00",
        "/admin/eligibility/region/%00/change/",
    ],
)
def test_a_nul_in_an_admin_filter_or_path_is_a_400(superuser_client, url):
    response = superuser_client.get(url)
    assert response.status_code == 400
    assert "cannot be used" in response.content.decode()


def test_a_nul_in_a_query_key_is_refused_too():
    response = Client().get("/?%00=1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


def test_the_refusal_under_api_keeps_the_api_shape():
    response = Client().get("/api/v1/public/criteria/?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_a_session_cookie_with_nul_characters_is_ignored_not_a_database_error():
    client = Client()
    # Django unquotes octal escapes in a quoted cookie value: this is eight NULs.
    response = client.get("/", HTTP_COOKIE='sessionid="\\000\\000\\000\\000\\000\\000\\000\\000"; portal_language=en')
    assert response.status_code == 200
