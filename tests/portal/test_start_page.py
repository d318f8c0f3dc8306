import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.urls import reverse
from django.utils import translation

# A sentence from the start page in each language, proving the catalogs are compiled and used.
HEADINGS = {
    "en": "Live and work in Kazakhstan",
    "ru": "Жить и работать в Казахстане",
    "kk": "Қазақстанда тұрып, жұмыс істеңіз",
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_start_page_renders_translated_in_each_language(client, lang):
    client.cookies["portal_language"] = lang
    response = client.get(reverse("portal:start"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert HEADINGS[lang] in html


def test_default_language_is_kazakh(client):
    response = client.get(reverse("portal:start"))
    assert HEADINGS["kk"] in response.content.decode()


def test_accept_language_header_is_honoured(client):
    response = client.get(reverse("portal:start"), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert HEADINGS["ru"] in response.content.decode()


def test_switching_language_is_remembered_on_the_profile(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.preferred_language == "ru"
    # A fresh browser (no cookie) still gets the profile's language once signed in.
    client.cookies.clear()
    client.force_login(applicant)
    assert HEADINGS["ru"] in client.get("/").content.decode()


def test_start_page_explains_both_products(client):
    client.cookies["portal_language"] = "en"
    html = client.get("/").content.decode()
    assert "Kandas Card" in html and "Valuable Skills Visa" in html
    assert "3 years" in html and "5 years" in html


def test_demo_user_can_sign_in(client, applicant):
    response = client.post(
        reverse("login"), {"username": applicant.email, "password": "correct-horse-battery-9"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].is_authenticated


def _title(html: str) -> str:
    return html.split("<title>")[1].split("</title>")[0]


@pytest.mark.django_db
def test_the_start_page_links_to_the_self_check_and_to_card_verification(client):
    client.cookies["portal_language"] = "en"
    html = client.get(reverse("portal:start")).content.decode()
    assert f'href="{reverse("eligibility:self_check_start")}"' in html
    assert f'href="{reverse("verify:verify")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "Live and work in Kazakhstan – Kandas Card and Valuable Skills Visa"),
        ("ru", "Жить и работать в Казахстане – "),
    ],
)
def test_page_titles_read_page_then_service(client, lang, title):
    client.cookies["portal_language"] = lang
    assert _title(client.get(reverse("portal:start")).content.decode()).startswith(title)
    check = _title(client.get(reverse("eligibility:self_check_start")).content.decode())
    assert " – " in check and not check.startswith(" – ")


@pytest.mark.django_db
def test_a_page_without_a_title_is_named_by_the_service_alone(rf):
    page = engines["django"].from_string('{% extends "base.html" %}')
    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("en"):
        assert _title(page.render({}, request)) == "Kandas Card and Valuable Skills Visa"


@pytest.mark.django_db
def test_start_now_leads_to_a_choice_of_signing_up_or_signing_in(client):
    client.cookies["portal_language"] = "en"
    start = client.get(reverse("portal:start")).content.decode()
    assert f'href="{reverse("portal:start_choice")}" class="button button--start"' in start
    choice = client.get(reverse("portal:start_choice")).content.decode()
    assert f'href="{reverse("accounts:signup")}"' in choice and f'href="{reverse("login")}"' in choice
    assert "<title>Do you have an account? – " in choice


def test_a_signed_in_user_skips_the_choice(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("portal:start_choice"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")


@pytest.mark.django_db
def test_the_public_qr_check_never_shows_a_command(client):
    for language in ("en", "kk", "ru"):
        client.cookies["portal_language"] = language
        body = client.get(reverse("verify:scan")).content.decode()
        assert "manage.py" not in body and "verify_card" not in body and "--keys-file" not in body
