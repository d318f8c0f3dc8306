"""The analyst's dashboards in a real Chromium (issue 17), in Kazakh then Russian: from the
header's staff link, every dashboard with its charts, a filter, a CSV download; axe-core on each."""

from pathlib import Path

import pytest
from django_otp.oath import totp

from applications.analytics.dashboards import DASHBOARDS
from tests.applications.analytics.conftest import lifecycle
from tests.browser.conftest import check_page
from tests.browser.test_casework_journey import sign_in, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_analyst_reads_filters_and_downloads_the_dashboards(page, applicant, caseworker, senior, analyst):
    lifecycle(applicant, caseworker, senior, outcome="approve")  # the card task (eager) issues the card
    lifecycle(applicant, caseworker, senior, outcome="refuse")
    device = totp_device(analyst)
    sign_in(page, analyst.email, next_url="/staff/")
    page.wait_for_url("**/two-factor/verify/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_otp_token", f"{code:0{device.digits}d}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
    assert page.get_attribute("html", "lang") == "kk"

    page.click(".staff-nav a[href='/staff/analytics/']")
    page.wait_for_url("**/staff/analytics/")
    check_page(page, "analytics-overview-kk")
    for board in DASHBOARDS:
        page.goto(f"/staff/analytics/{board.slug}/")
        assert page.locator("main h1").count() == 1
        check_page(page, f"analytics-{board.slug}-kk")

    # A filter: the page shows the chosen product, and every chart keeps its text summary.
    page.goto("/staff/analytics/flows/")
    page.select_option("#id_product", "kandas_card")
    page.click("main form.analytics-filters-form button[type=submit]")
    page.wait_for_url("**/staff/analytics/flows/?*product=kandas_card*")
    assert page.locator("main figure.chart svg").count() >= 1
    check_page(page, "analytics-flows-filtered-kk")

    with page.expect_download() as download_info:
        page.locator("main .chart__downloads a").first.click()
    body = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert body.splitlines()[0].count(",") >= 1 and len(body.splitlines()) > 1

    page.click(".language-switcher button[value=ru]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "ru"
    check_page(page, "analytics-flows-filtered-ru")
    for board in DASHBOARDS:
        page.goto(f"/staff/analytics/{board.slug}/")
        check_page(page, f"analytics-{board.slug}-ru")
