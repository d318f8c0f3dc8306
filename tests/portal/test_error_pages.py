import pytest
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, override_settings
from django.urls import path

from portal import urls as portal_urls

# What an exception may carry: a host, an address, a port, a path on the server.
SECRET = 'connection to "db.internal" (10.0.0.5), port 5432 failed; see /srv/portal/settings.py'
LEAKS = ("db.internal", "10.0.0.5", "5432", "/srv/portal", "Traceback", "SuspiciousOperation", "RuntimeError")


def boom(request):
    raise RuntimeError("simulated failure")


def raiser(exception: type[Exception]):
    def view(request):
        raise exception(SECRET)

    return view


urlpatterns = [
    path("boom/", boom),
    path("bad-request/", raiser(BadRequest)),
    path("suspicious/", raiser(SuspiciousOperation)),
    path("denied/", raiser(PermissionDenied)),
    path("missing/", raiser(Http404)),
    path("crash/", raiser(RuntimeError)),
    path("form/", lambda request: None),
    *portal_urls.urlpatterns,  # the error pages link to the start page
]
handler400 = portal_urls.handler400


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,status",
    [("/bad-request/", 400), ("/suspicious/", 400), ("/denied/", 403), ("/missing/", 404), ("/crash/", 500)],
)
def test_error_pages_show_no_exception_text_host_or_port(url, status):
    """A BadRequest from Django or a library (not the portal's InputRefused) showed its text."""
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert [word for word in LEAKS if word in html] == []


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.django_db
def test_the_csrf_refusal_shows_no_reason():
    response = Client(enforce_csrf_checks=True).post("/form/", {"a": "1"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "CSRF cookie not set" not in html and "Reason given" not in html


@override_settings(DEBUG=False)
@pytest.mark.django_db
def test_a_bad_host_header_gets_a_plain_400_that_does_not_repeat_it():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="internal.example:6379")
    assert response.status_code == 400
    assert "internal.example" not in response.content.decode() and "6379" not in response.content.decode()


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
