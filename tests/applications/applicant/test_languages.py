"""Applicant pages and e-mails in the applicant's language, Uzbek and Chinese included."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from applications import services
from tests.applications.applicant.conftest import verify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("kk", "Жеке деректер", "Басталмаған"),
        ("ru", "Личные данные", "Не начато"),
        ("en", "Personal details", "Not started"),
        ("uz", "Shaxsiy ma’lumotlar", "Boshlanmagan"),
        ("zh-hans", "个人信息", "未开始"),
    ],
)
def test_the_task_list_is_in_the_applicants_language(applicant, client_for, language, heading, status):
    verify(applicant, language)
    application = services.application_start(owner=applicant, product="kandas_card")
    body = client_for(applicant).get(f"/applications/{application.pk}/tasks/").content.decode()
    assert heading in body and status in body
    assert f'lang="{language}"' in body


def test_validation_messages_follow_the_language(applicant, client_for):
    verify(applicant, "zh-hans")
    application = services.application_start(owner=applicant, product="skills_visa")
    response = client_for(applicant).post(
        f"/applications/{application.pk}/section/job_offer/",
        {
            "has_offer": "yes",
            "employer_name": "X",
            "employer_bin": "12345",
            "monthly_salary_kzt": "1",
            "action": "continue",
        },
    )
    assert "BIN必须为12位数字" in response.content.decode()


@pytest.mark.parametrize(("language", "phrase"), [("uz", "havolani oching"), ("zh-hans", "请打开此链接")])
def test_the_verification_e_mail_is_written_in_the_chosen_language(client, language, phrase):
    client.post(
        "/accounts/sign-up/",
        {
            "email": "a@example.org",
            "password1": "tengri-sky-8812",
            "password2": "tengri-sky-8812",
            "preferred_language": language,
        },
    )
    assert phrase in mail.outbox[0].body


def test_dates_and_numbers_are_formatted_per_language(applicant, client_for, settings):
    verify(applicant, "ru")
    application = services.application_start(owner=applicant, product="skills_visa")
    client = client_for(applicant)
    client.post(
        f"/applications/{application.pk}/section/job_offer/",
        {
            "has_offer": "yes",
            "employer_name": "Kaspi",
            "employer_bin": "123456789013",
            "monthly_salary_kzt": "2500000",
            "action": "continue",
        },
    )
    # Russian groups thousands with a (non-breaking) space and writes month names in Russian.
    page = client.get(f"/applications/{application.pk}/check/").content.decode()
    assert re.search(r"2\s500\s000", page.replace("\xa0", " "))
    tasks = client.get(f"/applications/{application.pk}/tasks/").content.decode()
    months = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ]
    expiry = application.updated_at + timezone.timedelta(days=settings.DRAFT_EXPIRY_DAYS)
    assert months[timezone.localtime(expiry).month - 1] in tasks


def test_the_language_chosen_at_sign_up_is_used_after_sign_in(client):
    client.post(
        "/accounts/sign-up/",
        {
            "email": "b@example.org",
            "password1": "tengri-sky-8812",
            "password2": "tengri-sky-8812",
            "preferred_language": "uz",
        },
    )
    client.get(re.search(r"https?://\S+", mail.outbox[0].body).group(0))
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "b@example.org", "password": "tengri-sky-8812"})
    assert "Sizning arizalaringiz" in fresh.get("/applications/").content.decode()
