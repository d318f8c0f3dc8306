import pytest
from django.urls import reverse

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
