"""PDFs of the card and of the decision letter (fpdf2), in the holder's language, with the QR.

The fonts ship with the code (fonts/, DejaVu Sans subset covering Kazakh Cyrillic), so the
output does not depend on what the server has installed.
"""

import io
import logging
from pathlib import Path

import qrcode
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from PIL import Image, UnidentifiedImageError
from qrcode.constants import ERROR_CORRECT_M

from applications.cards import numbers
from applications.cards.selectors import photo_bytes
from applications.models import AdministrativeReview, Application, IssuedCard
from applications.products import get_product
from applications.reviews import review_route
from applications.states import GRANTED_STATES
from portal.audit.models import AuditEvent
from portal.display import date_display

# fpdf2 subsets the font into every PDF through fontTools, which logs each step at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
# ID-1, the credit-card size of ISO/IEC 7810, in millimetres.
CARD_W, CARD_H = 85.6, 53.98


def _pdf(**kwargs) -> FPDF:
    pdf = FPDF(unit="mm", **kwargs)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creator("Kandas Card and Valuable Skills Visa portal")
    pdf.set_auto_page_break(False)
    return pdf


def qr_image(payload: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, box_size=8)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().get_image()


def _photo(card: IssuedCard) -> Image.Image | None:
    data = photo_bytes(card)
    if not data:
        return None
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return None
    return image.convert("RGB")


def _date(value) -> str:
    # Day, month name and year in the holder's language (the PDF renders under their language).
    # CLDR puts a narrow no-break space (U+202F) in some patterns: the bundled fonts lack it.
    return date_display(value).replace("\u202f", "\xa0")


def _regions(card: IssuedCard) -> str:
    names = [region.name for region in card.permitted_regions.all()]
    return ", ".join(names) if names else _("All regions of Kazakhstan")


def _label_value(pdf: FPDF, x: float, label: str, value: str, *, size: float = 6.5, width: float = 40) -> None:
    pdf.set_x(x)
    pdf.set_font(FONT, "", size - 1.5)
    pdf.set_text_color(80, 90, 95)
    pdf.cell(width, 2.6, label.upper(), new_x="LEFT", new_y="NEXT")
    pdf.set_x(x)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(11, 12, 12)
    pdf.multi_cell(width, 3.2, value, new_x="LEFT", new_y="NEXT")
    pdf.ln(0.6)


def card_pdf(card: IssuedCard, *, language: str | None = None) -> bytes:
    """The card as a two-page ID-1 PDF: front with photo and details, back with the signed QR."""
    language = language or card.holder.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        pdf = _pdf(orientation="L", format=(CARD_H, CARD_W))
        pdf.set_title(f"{get_product(card.product).label} {card.number}")
        product = str(get_product(card.product).label)

        # Front
        pdf.add_page()
        pdf.set_fill_color(0, 114, 187)
        pdf.rect(0, 0, CARD_W, 9, style="F")
        pdf.set_xy(3, 1.6)
        pdf.set_text_color(255, 255, 255)
        pdf.set_font(FONT, "B", 8)
        pdf.cell(CARD_W - 6, 3.2, _("Republic of Kazakhstan"), new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 7)
        pdf.cell(CARD_W - 6, 3.2, product)
        photo = _photo(card)
        if photo is not None:
            pdf.image(photo, x=3, y=12, w=20, h=25, keep_aspect_ratio=True)
        else:
            pdf.set_draw_color(177, 180, 182)
            pdf.rect(3, 12, 20, 25)
            pdf.set_xy(3, 23)
            pdf.set_text_color(80, 90, 95)
            pdf.set_font(FONT, "", 4.5)
            pdf.cell(20, 3, _("No photo"), align="C")
        pdf.set_xy(26, 11.5)
        _label_value(pdf, 26, _("Name"), card.holder_name, width=56)
        _label_value(pdf, 26, _("Date of birth"), _date(card.date_of_birth), width=56)
        _label_value(pdf, 26, _("Card number"), numbers.format_for_print(card.number), width=56)
        _label_value(pdf, 26, _("Valid"), f"{_date(card.valid_from)} – {_date(card.valid_until)}", width=56)
        pdf.set_xy(3, 44)
        _label_value(pdf, 3, _("Permitted regions"), _regions(card), size=5.5, width=CARD_W - 6)

        # Back
        pdf.add_page()
        pdf.image(qr_image(card.payload), x=2, y=2, w=CARD_H - 4, h=CARD_H - 4)
        x = CARD_H + 1
        pdf.set_xy(x, 4)
        _label_value(pdf, x, _("Card number"), numbers.format_for_print(card.number), width=CARD_W - x - 2)
        if card.citizenship_eligible_on:
            _label_value(
                pdf, x, _("Citizenship eligibility"), _date(card.citizenship_eligible_on), width=CARD_W - x - 2
            )
        pdf.set_x(x)
        pdf.set_font(FONT, "", 4.6)
        pdf.set_text_color(80, 90, 95)
        pdf.multi_cell(
            CARD_W - x - 2,
            2.3,
            _("Scan the code to check this card offline, or check it online with a share code from the holder.")
            + f" {settings.NOTIFICATION_SITE_URL.rstrip('/')}/verify/",
        )
        pdf.set_xy(x, CARD_H - 5)
        pdf.set_font(FONT, "", 4)
        pdf.cell(CARD_W - x - 2, 2, f"{_('Key')}: {card.key_id}")
        return bytes(pdf.output())


def _decision_reason(application: Application) -> str:
    event = (
        AuditEvent.objects.filter(application=application, action__in=["approve", "refuse"])
        .order_by("-created_at")
        .first()
    )
    return event.reason if event else ""


def _review_line(application: Application) -> str:
    """The review route under a refusal: its period (ADMIN_REVIEW_REQUEST_DAYS) and last day,
    or the outcome of the review already held."""
    route = review_route(application)
    if route.request_by is not None:
        days = settings.ADMIN_REVIEW_REQUEST_DAYS
        return ngettext(
            "You may ask for the decision to be reviewed within %(days)d day of the refusal, until %(date)s, "
            "from your account.",
            "You may ask for the decision to be reviewed within %(days)d days of the refusal, until %(date)s, "
            "from your account.",
            days,
        ) % {"days": days, "date": _date(timezone.localtime(route.request_by).date())}
    if route.review is not None and route.review.outcome == AdministrativeReview.Outcome.UPHELD:
        return "\n".join(
            [
                _("A senior caseworker who took no part in the first decision reviewed it and upheld the refusal:"),
                route.review.outcome_reason,
            ]
        )
    return _("The decision has been reviewed or the time to ask for a review has ended.")


def decision_letter_pdf(application: Application, *, language: str | None = None) -> bytes:
    """The decision letter (A4) in the applicant's language; with the card's QR when issued."""
    owner = application.owner
    language = language or owner.preferred_language or settings.LANGUAGE_CODE
    card = IssuedCard.objects.filter(application=application).first()
    approved = application.state in GRANTED_STATES
    with translation.override(language):
        pdf = _pdf(orientation="P", format="A4")
        pdf.set_title(_("Decision on application %(ref)s") % {"ref": application.reference or application.pk})
        pdf.set_auto_page_break(True, margin=20)
        pdf.add_page()
        pdf.set_margins(20, 20, 20)
        pdf.set_xy(20, 20)
        pdf.set_font(FONT, "B", 14)
        pdf.multi_cell(0, 7, _("Republic of Kazakhstan"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 6, str(get_product(application.product).label), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(FONT, "", 10)
        decided = application.decided_at or timezone.now()
        pdf.multi_cell(0, 5, f"{_('Date')}: {_date(timezone.localtime(decided).date())}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, f"{_('Reference')}: {application.reference or '—'}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(
            0,
            5,
            f"{_('Applicant')}: {card.holder_name if card else application.applicant_name or owner.get_full_name()}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(6)
        pdf.set_font(FONT, "B", 13)
        title = _("Your application has been approved") if approved else _("Your application has been refused")
        pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT, "", 10.5)
        if approved and card is not None:
            lines = [
                _("Card number: %(number)s") % {"number": numbers.format_for_print(card.number)},
                _("Valid from %(start)s to %(end)s.")
                % {"start": _date(card.valid_from), "end": _date(card.valid_until)},
                _("Permitted regions: %(regions)s") % {"regions": _regions(card)},
            ]
            if card.citizenship_eligible_on:
                lines.append(
                    _("You may apply for citizenship from %(date)s, after five years of stay.")
                    % {"date": _date(card.citizenship_eligible_on)}
                )
        elif approved:
            lines = [_("Your card is being issued. You will receive it in your account.")]
        else:
            lines = [_("The reasons for the decision are:"), _decision_reason(application) or "—"]
            lines.append(_review_line(application))
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if card is not None:
            pdf.ln(4)
            pdf.image(qr_image(card.payload), x=20, w=50, h=50)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(
                0,
                4.5,
                _("The code carries the card's details signed by the issuer (key %(kid)s); it can be checked offline.")
                % {"kid": card.key_id},
                new_x="LMARGIN",
                new_y="NEXT",
            )
        return bytes(pdf.output())
