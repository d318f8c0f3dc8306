"""The holder's stay in a real Chromium on a 375 px phone, in Kazakh: the timeline with its
progress toward citizenship, a declaration with an error and then without; axe-core on each
page, and no page wider than the phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import IssuedCard
from applications.stay.models import BorderRecord
from tests.api.conftest import issue_card
from tests.browser.conftest import check_page
from tests.browser.test_casework_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_holder_reads_the_stay_and_declares_an_absence_on_a_phone(page, applicant, settings):
    applicant.email_verified_at = timezone.now()
    applicant.save(update_fields=["email_verified_at"])
    card = issue_card(settings, applicant)
    today = timezone.localdate()
    IssuedCard.objects.filter(pk=card.pk).update(valid_from=today - timedelta(days=800))
    for direction, days_ago in (("exit", 700), ("entry", 580), ("exit", 100), ("entry", 90)):
        BorderRecord.objects.create(
            holder=applicant,
            card=card,
            direction=direction,
            crossed_on=today - timedelta(days=days_ago),
            crossing_point="Қорғас",
            source="import",
        )
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, applicant.email, next_url=f"/stay/{card.number}/")
    page.wait_for_url(f"**/stay/{card.number}/")
    main = page.inner_text("main")
    # 119 days abroad in the first stay year: continuity broken, the count starts again.
    assert "119" in main and page.locator("main progress").count() == 1
    assert page.locator("main .tag--red").count() >= 1
    check_page(page, "stay-timeline-phone")
    assert _fits_the_phone(page)

    page.click(f"main a[href='/stay/{card.number}/declare/']")
    page.wait_for_url("**/declare/")
    page.fill("#id_left_on", (today - timedelta(days=10)).isoformat())
    page.fill("#id_returned_on", (today - timedelta(days=20)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    check_page(page, "stay-declare-error-phone")
    assert _fits_the_phone(page)

    page.fill("#id_returned_on", (today - timedelta(days=3)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/stay/{card.number}/")
    assert BorderRecord.objects.filter(source="declaration").count() == 2
    check_page(page, "stay-timeline-after-declaration-phone")
