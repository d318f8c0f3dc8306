"""Issue 16: staff pages use the window's width; the queue fits a 1280 px window (no sideways
scroll) in Kazakh and Russian, whose headings run longest, and the case page shows each
section's documents beside its answers."""

import pytest

from applications.casework.services import case_claim
from tests.applications.casework.conftest import build_case
from tests.browser.conftest import assert_no_horizontal_scroll, check_page
from tests.browser.test_casework_journey import sign_in_with_totp, submitted_kandas_case, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_queue_and_the_case_page_fit_a_1280_px_window(page, applicant, stranger, caseworker, language):
    case = submitted_kandas_case(applicant)
    for n in range(12):  # a full-looking queue, with long names in every column
        build_case(
            stranger,
            reference=f"KC-2026-9{n:05d}",
            applicant_name=f"Abdulkhamidova-Nurmukhambetova Aigerim {n}",
            region_id="KZ-75",
        )
    case_claim(application=case, actor=caseworker)
    device = totp_device(caseworker)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_with_totp(page, caseworker, device)
    page.context.add_cookies([{"name": "portal_language", "value": language, "url": page.url}])
    page.goto("/casework/")
    assert page.locator("table.table tbody tr").count() >= 12
    assert_no_horizontal_scroll(page, f"queue ({language})")
    table, main = page.locator("table.table").bounding_box(), page.locator("main").bounding_box()
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1, "the queue's table sticks out of the page"
    check_page(page, f"staff-queue-1280-{language}")

    page.goto(f"/casework/cases/{case.pk}/")
    assert_no_horizontal_scroll(page, f"case page ({language})")
    passport = page.locator('section[aria-labelledby="section-passport"]')
    answers = passport.locator(".case-section__answers").bounding_box()
    documents = passport.locator(".case-section__documents").bounding_box()
    assert documents["x"] > answers["x"] + answers["width"] - 1, "the passport scan is not beside the answers"
    check_page(page, f"staff-case-1280-{language}")
