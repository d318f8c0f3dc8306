"""Card and decision-letter PDFs: the holder's language, Kazakh letters, the signed QR."""

import io

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from applications.cards import signing
from applications.cards.pdf import FONT_DIR, card_pdf, decision_letter_pdf, qr_image
from applications.models import Application
from applications.workflow import application_transition
from eligibility.products import Product
from portal.display import card_number

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def images_of(data: bytes) -> list[Image.Image]:
    return [image.image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]


def test_card_pdf_is_in_kazakh_with_kazakh_letters_rendered(card):
    data = card_pdf(card, language="kk")
    assert data.startswith(b"%PDF")
    text = text_of(data)
    assert "Айгерім Нұрланқызы" in text
    assert "Қазақстан Республикасы" in text
    assert "Рұқсат етілген өңірлер".upper() in text


def test_card_pdf_follows_the_holders_preferred_language(card):
    card.holder.preferred_language = "ru"
    card.holder.save(update_fields=["preferred_language"])
    assert "Республика Казахстан" in text_of(card_pdf(card))


def test_the_qr_in_the_card_pdf_is_the_signed_payload_that_verifies(card, card_key):
    (qr,) = images_of(card_pdf(card, language="en"))
    expected = qr_image(card.payload).convert("L")
    assert ImageChops.difference(qr.convert("L").resize(expected.size), expected).getbbox() is None
    assert signing.payload_verify(card.payload, {"test-2026": card_key.public_key()}).number == card.number


def test_decision_letter_of_an_issued_card_has_the_dates_and_the_qr(card):
    data = decision_letter_pdf(card.application, language="en")
    text = text_of(data)
    assert "Your application has been approved" in text
    assert card.number[:2] in text and "after five years of stay" in text
    assert len(images_of(data)) == 1


def test_decision_letter_of_a_refusal_gives_the_reason_in_russian(applicant, caseworker, senior):
    applicant.preferred_language = "ru"
    applicant.save(update_fields=["preferred_language"])
    application = Application.objects.create(product=Product.SKILLS_VISA, owner=applicant, applicant_name="Иван")
    from applications.casework.services import case_claim, decision_confirm, decision_recommend
    from applications.models import LegalGround

    application_transition(application=application, action="submit", actor=applicant)
    case_claim(application=application, actor=caseworker)
    decision_recommend(
        application=application,
        actor=caseworker,
        recommendation="refuse",
        grounds=LegalGround.objects.filter(applies_to="refuse", is_active=True)[:1],
        text="Недостаточно баллов",
    )
    decision_confirm(application=application, actor=senior)
    application.refresh_from_db()
    text = text_of(decision_letter_pdf(application))
    assert "В вашем заявлении отказано" in text
    assert "Недостаточно баллов" in text


def test_the_fonts_ship_with_the_code_and_carry_a_licence():
    assert (FONT_DIR / "DejaVuSans.ttf").stat().st_size < 200_000
    assert "Bitstream" in (FONT_DIR / "LICENSE.txt").read_text()


@pytest.mark.parametrize(
    ("language", "birth"),
    [("kk", "1990 ж. 12 мамыр"), ("ru", "12 мая 1990 г."), ("en", "May 12, 1990")],
)
def test_the_card_pdf_prints_dates_with_the_month_name_in_the_holders_language(make_approved, language, birth):
    from applications.cards.services import card_issue

    card = card_issue(application=make_approved(answers={"personal": {"date_of_birth": "1990-05-12"}}))
    text = " ".join(text_of(card_pdf(card, language=language)).split())  # any space, one space
    assert birth in text
    assert "05/12/1990" not in text and "12.05.1990" not in text
    assert card_number(card.number) in text
