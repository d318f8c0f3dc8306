import pytest
from django.test import Client, override_settings
from django.urls import path


def boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", boom)]


def test_unknown_page_gets_the_portal_404(client, db):
    client.cookies["portal_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.django_db
def test_a_crash_shows_a_clean_500_page_without_details():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "simulated failure" not in html and "Traceback" not in html
    assert "Кешіріңіз, қызметте ақау бар" in html  # Kazakh, the default language
