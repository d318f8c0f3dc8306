"""Issue 16: every applicant page, the card page and the card PDF fit a 375 px phone screen
(the narrowest common width, iPhone SE / mini): no page scrolls sideways, in Kazakh and in
Russian, whose words run longest."""

import re

import pytest
from django.urls import reverse

from applications import sections, services
from applications.cards.services import card_issue
from applications.models import Application
from eligibility.models import Region
from eligibility.products import Product
from tests.applications.cards.conftest import approve
from tests.browser.conftest import assert_no_horizontal_scroll, check_page
from tests.browser.test_casework_journey import PASSWORD, submitted_kandas_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}
# A PDF shown at 100 % is 96 CSS px per inch, 72 points per inch: 375 px is 281.25 pt.
PHONE_POINTS = PHONE["width"] * 72 / 96


def public_pages() -> dict[str, str]:
    return {
        "start": reverse("portal:start"),
        "start-now": reverse("portal:start_choice"),
        "self-check": reverse("eligibility:self_check_start"),
        "self-check-questions": reverse("eligibility:self_check", args=["kandas_card"]),
        "sign-in": reverse("login"),
        "sign-up": reverse("accounts:signup"),
        "verify": reverse("verify:verify"),
        "verify-scan": reverse("verify:scan"),
    }


def applicant_pages(draft: Application, submitted: Application, card_number: str) -> dict[str, str]:
    pages = {
        "account": reverse("portal:dashboard"),
        "applications": reverse("applications:list"),
        "choose-product": reverse("applications:choose"),
        "task-list": reverse("applications:tasks", args=[draft.pk]),
        "documents": reverse("applications:documents", args=[draft.pk]),
        "upload": reverse("applications:document_upload", args=[draft.pk, "passport"]),
        "check-answers": reverse("applications:check", args=[draft.pk]),
        "status": reverse("applications:status", args=[submitted.pk]),
        "withdraw": reverse("applications:withdraw", args=[submitted.pk]),
        "notifications": reverse("notifications:list"),
        "my-data": reverse("privacy:my_data"),
        "password": reverse("password_change"),
        "cards": reverse("cards:list"),
        "card": reverse("cards:detail", args=[card_number]),
        "card-address": reverse("cards:address", args=[card_number]),
        "card-employer": reverse("cards:employer", args=[card_number]),
    }
    for section in sections.sections_for(draft.product, draft.track):
        if section.slug == sections.FAMILY:
            pages["family"] = reverse("applications:family", args=[draft.pk])
        elif section.form_class is not None:
            pages[f"section-{section.slug}"] = reverse("applications:section", args=[draft.pk, section.slug])
    return pages


def issued_card_number(applicant, caseworker, senior) -> str:
    application = Application.objects.create(
        product=Product.KANDAS_CARD,
        owner=applicant,
        applicant_name="Айгерім Нұрланқызы-Абдулхамидова",
        answers={"personal": {"date_of_birth": "1990-03-15"}},
        region=Region.objects.get(code="KZ-10"),
    )
    return card_issue(application=approve(application, caseworker, senior)).number


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_applicant_page_and_the_card_fit_a_375_px_phone(
    page, web_server, applicant, caseworker, senior, language
):
    submitted = submitted_kandas_case(applicant)
    draft = services.application_start(owner=applicant, product=Product.SKILLS_VISA)
    number = issued_card_number(applicant, caseworker, senior)
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "portal_language", "value": language, "url": web_server.url}])

    failures = []
    for name, url in public_pages().items():
        page.goto(url)
        try:
            assert_no_horizontal_scroll(page, name)
        except AssertionError as problem:
            failures.append(str(problem))

    page.goto(reverse("login"))
    page.fill("#id_username", applicant.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/(dashboard|applications)/.*"))
    for name, url in applicant_pages(draft, submitted, number).items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url, response and response.status)
        try:
            assert_no_horizontal_scroll(page, name)
        except AssertionError as problem:
            failures.append(str(problem))
        if name in ("card", "status", "task-list"):
            check_page(page, f"phone-375-{name}-{language}")
    assert failures == []

    # The card PDF: an ID-1 card (85.6 x 54 mm) per page, narrower than the phone at 100 %.
    pdf = page.request.get(reverse("cards:pdf", args=[number]))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.body())
    assert boxes, "no page size in the card PDF"
    assert all(float(width) <= PHONE_POINTS for width, _height in boxes), boxes
