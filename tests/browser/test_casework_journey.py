"""Four eyes in a real Chromium: a caseworker signs in with TOTP, claims the next case and
recommends approval with a legal ground; a senior, in a browser of their own, signs in with
TOTP and confirms. The approval issues the card; the holder makes a share code, and a
checker finds the card valid on the public verification page (share code and QR payload),
then not valid once it is tampered with or revoked.

The submitted case is seeded through the applicant services (answers, real JPEG uploads
through the document pipeline, submission), as tests/browser/test_applicant_journey.py
already drives those pages in the browser.
"""

import base64
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications import sections, services
from applications.cards.services import format_code
from applications.models import Application, Document, IssuedCard, LegalGround
from applications.states import State
from eligibility.products import Product
from portal.audit.models import AuditEvent
from tests.applications.applicant.conftest import KANDAS_PAGES
from tests.browser.conftest import check_page, photo_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-9"  # tests/conftest.py gives every person this password


def submitted_kandas_case(owner) -> Application:
    """A Kandas Card application answered, documented and submitted through the services."""
    owner.email_verified_at = timezone.now()
    owner.save(update_fields=["email_verified_at"])
    application = services.application_start(owner=owner, product=Product.KANDAS_CARD)
    for slug, data in KANDAS_PAGES.items():
        section = sections.section_named(application.product, slug)
        form = section.form_class(data, application=application)
        assert form.is_valid(), (slug, form.errors)
        application = services.answers_save(
            application=application, section=slug, values=form.answers(), complete=True, actor=owner
        )
    application = services.family_confirm(application=application, coming="no", actor=owner)
    kinds = sections.required_document_kinds(application.product, application.track, application.answers)
    for n, kind in enumerate(kinds):
        size = (420, 540) if kind == Document.Kind.PHOTO else (800, 600)
        upload = SimpleUploadedFile(f"{kind}.jpg", photo_jpeg(size, (40 + 20 * n, 90, 150)), content_type="image/jpeg")
        services.document_add(application=application, kind=kind, uploaded=upload, actor=owner)
    # Tasks run eagerly in tests (CELERY_TASK_ALWAYS_EAGER), so the pipeline has run.
    assert set(application.documents.values_list("status", flat=True)) == {Document.Status.READY}
    application = services.application_submit(application=application, actor=owner)
    assert application.state == State.SUBMITTED
    return application


def totp_device(user) -> TOTPDevice:
    """The staff member's authenticator, enrolled earlier (enrolment is test_journeys.py's)."""
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def new_page(page, web_server):
    """A fresh browser context (no cookies shared): another person at another desk."""
    context = page.context.browser.new_context(
        base_url=web_server.url, viewport={"width": 1280, "height": 900}, locale="kk-KZ"
    )
    other = context.new_page()
    other.set_default_timeout(15_000)
    return other


def sign_in(page, email: str, next_url: str = "") -> None:
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def sign_in_with_totp(page, user, device: TOTPDevice, *, screenshot: str = "") -> None:
    """Password form, then the second-factor page with the code the authenticator shows now."""
    sign_in(page, user.email, next_url="/casework/")
    page.wait_for_url("**/two-factor/verify/**")
    if screenshot:
        check_page(page, screenshot)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_otp_token", f"{code:0{device.digits}d}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/casework/")


def check_card(page, number: str, code: str) -> str:
    """Fill the public check as an employer would; returns the result's heading."""
    page.goto("/verify/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".verify-result")
    return page.inner_text("h1")


def scan_payload(page, payload: str) -> str:
    """Paste a QR payload into the scan check; returns the classes of the result box."""
    page.goto("/verify/scan/")
    page.fill("main form textarea, main form input[type=text]", payload)
    page.click("main form button[type=submit]")
    return page.get_attribute(".verify-result", "class")


def tampered(payload: str) -> str:
    """The payload with the holder's name changed and the original signature kept."""
    prefix, body, signature = payload.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert claims["nm"], claims  # applications.cards.signing.CardClaims.to_body: "nm" is the name
    claims["nm"] = "Someone Else"
    forged = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{prefix}.{forged}.{signature}"


def test_four_eyes_decision_issues_a_card_that_the_public_check_reports(
    page, web_server, applicant, caseworker, senior
):
    application = submitted_kandas_case(applicant)
    caseworker_key, senior_key = totp_device(caseworker), totp_device(senior)
    ground = LegalGround.objects.filter(applies_to="approve", is_active=True).order_by("pk").first()
    assert ground is not None, "the legal grounds come with migration applications/0005"

    # The caseworker: password, TOTP, the queue, "claim next case".
    sign_in_with_totp(page, caseworker, caseworker_key, screenshot="casework-otp-verify")
    check_page(page, "casework-queue")
    assert application.reference in page.inner_text("main")
    page.click("form[action='/casework/next/'] button[type=submit]")
    page.wait_for_url(f"**/casework/cases/{application.pk}/")
    check_page(page, "casework-case-claimed")
    application.refresh_from_db()
    assert (application.state, application.claimed_by_id) == (State.IN_REVIEW, caseworker.pk)

    # Recommend approval with a legal ground.
    recommend = page.locator(f"form[action='/casework/cases/{application.pk}/recommend/']")
    page.locator("details", has=recommend).locator("summary").click()
    recommend.locator('[name="recommendation"][value="approve"]').check()
    recommend.locator(f'[name="grounds"][value="{ground.pk}"]').check()
    recommend.locator('[name="text"]').fill("Kandas by birth certificate; a professional with eight years' work.")
    check_page(page, "casework-recommend")
    recommend.locator("button[type=submit]").click()
    page.wait_for_url(f"**/casework/cases/{application.pk}/")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    # The one who recommends cannot also confirm: no confirm form for the caseworker.
    assert page.locator(f"form[action='/casework/cases/{application.pk}/confirm/']").count() == 0

    # The senior, in a browser of their own: password, TOTP, the case, "confirm approval".
    desk = new_page(page, web_server)
    sign_in_with_totp(desk, senior, senior_key)
    desk.goto(f"/casework/cases/{application.pk}/")
    check_page(desk, "casework-senior-confirm")
    # The senior reached the case from the header's staff home, not by typing its address.
    desk.goto("/")
    desk.click(".staff-nav a[href='/staff/']")
    desk.wait_for_url("**/staff/")
    check_page(desk, "staff-home-senior")
    desk.click(f"#main-content a[href='/casework/cases/{application.pk}/']")
    desk.wait_for_url(f"**/casework/cases/{application.pk}/")
    desk.click(f"form[action='/casework/cases/{application.pk}/confirm/'] button[type=submit]")
    # "Are you sure?": the summary of the recommendation; nothing is decided yet.
    desk.wait_for_selector("main h1")
    assert application.reference in desk.inner_text("main")
    check_page(desk, "casework-confirm-approval")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    desk.click(f"main form[action='/casework/cases/{application.pk}/confirm/'] button[type=submit]")
    desk.wait_for_url(f"**/casework/cases/{application.pk}/")
    check_page(desk, "casework-decided")

    # The approval issued the card (after commit, in the same request with eager tasks).
    application.refresh_from_db()
    assert application.state == State.ISSUED
    card = IssuedCard.objects.get(application=application)
    actions = list(AuditEvent.objects.filter(application=application).values_list("action", flat=True))
    assert {"claim", "recommend", "approve", "issue"} <= set(actions), actions

    # The holder signs in and makes a share code for an employer.
    holder = new_page(page, web_server)
    sign_in(holder, applicant.email)
    holder.wait_for_url(lambda url: "/accounts/login/" not in url)
    holder.goto(f"/cards/{card.number}/")
    check_page(holder, "card-holder")
    holder.locator('[name="purpose"]').first.check()
    holder.click(f"form[action='/cards/{card.number}/share-codes/'] button[type=submit]")
    holder.wait_for_selector("td.share-code")
    printed_code = holder.inner_text("td.share-code").strip()
    share = card.share_codes.get()
    assert printed_code == format_code(share.code)

    # An employer checks it: number and code as the holder wrote them down.
    cache.delete("ratelimit:verify:127.0.0.1")  # a fresh window: earlier runs share this Redis db
    checker = new_page(page, web_server)
    checker.goto("/verify/")
    check_page(checker, "verify-form")
    valid_heading = check_card(checker, card.number, printed_code)
    assert "verify-result--valid" in checker.get_attribute(".verify-result", "class")
    assert card.holder_name in checker.inner_text("main")
    check_page(checker, "verify-valid")
    # A mistyped (tampered) share code finds nothing.
    wrong = format_code(share.code[:-1] + ("A" if share.code[-1] != "A" else "B"))
    assert check_card(checker, card.number, wrong) != valid_heading
    assert "verify-result--invalid" in checker.get_attribute(".verify-result", "class")
    check_page(checker, "verify-not-found")

    # The QR payload printed on the card: genuine; with the name changed: not genuine.
    assert "verify-result--valid" in scan_payload(checker, card.payload)
    check_page(checker, "verify-scan-valid")
    assert "verify-result--invalid" in scan_payload(checker, tampered(card.payload))
    assert checker.locator(".verify-result .tag").count() == 0  # no status for a forged code
    check_page(checker, "verify-scan-forged")

    # The senior revokes the card; the same share code and QR payload now report it revoked.
    desk.goto(f"/cards/{card.number}/revoke/")
    check_page(desk, "card-revoke")
    desk.fill('[name="reason"]', "Documents found to be forged in a later check.")
    desk.click("main form button[type=submit]")
    # "Are you sure?": the holder, the card and the reason; the card is still valid.
    desk.wait_for_selector("main input[name='confirm_token']", state="attached")
    assert "Documents found to be forged in a later check." in desk.inner_text("main")
    check_page(desk, "card-revoke-confirm")
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.ACTIVE
    desk.click("main form button[type=submit]")
    desk.wait_for_url(f"**/cards/{card.number}/")
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.REVOKED
    assert check_card(checker, card.number, printed_code) != valid_heading
    assert "verify-result--invalid" in checker.get_attribute(".verify-result", "class")
    check_page(checker, "verify-revoked")
    assert "verify-result--invalid" in scan_payload(checker, card.payload)
    assert checker.locator(".verify-result .tag--red").count() == 1
