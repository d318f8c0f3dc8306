"""The auditor's pages in a real Chromium, in Kazakh (issue 16): from the header's staff links,
a case search with the passport number masked, an audit-chain check run as a task and its
result, and the CSV export of the trail; axe-core on each page."""

from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp

from applications.states import State
from portal.audit.models import AuditEvent, AuditVerification
from tests.applications.casework.conftest import build_case
from tests.browser.conftest import check_page
from tests.browser.test_casework_journey import sign_in, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_auditor_searches_checks_and_exports_the_audit_trail(page, applicant, auditor):
    case = build_case(
        applicant, state=State.SUBMITTED, applicant_name="Aigerim Nurlanqyzy", passport_number="N12345678"
    )
    device = totp_device(auditor)
    sign_in(page, auditor.email, next_url="/staff/")
    page.wait_for_url("**/two-factor/verify/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_otp_token", f"{code:0{device.digits}d}")
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
    check_page(page, "staff-home-auditor")

    # Case search, from the header.
    page.click(".staff-nav a[href='/staff/cases/']")
    page.fill("#id_q", "nurlan")
    page.click("main form button[type=submit]")
    page.wait_for_selector("main table")
    main = page.inner_text("main")
    assert case.reference in main and "N12345678" not in main and "678" in main
    check_page(page, "staff-case-search")

    # The audit-chain check: a task; the page shows its stored result.
    page.click(".staff-nav a[href='/staff/audit/verify/']")
    page.wait_for_url("**/staff/audit/verify/")
    check_page(page, "audit-verify-empty")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staff/audit/verify/")
    run = AuditVerification.objects.get()
    assert run.status == AuditVerification.Status.INTACT, (run.status, run.error, run.problems)
    assert str(run.checked) in page.inner_text("main")
    check_page(page, "audit-verify-intact")

    # The CSV export of today's trail, streamed as a download.
    page.click(".staff-nav a[href='/staff/audit/export/']")
    page.wait_for_url("**/staff/audit/export/")
    check_page(page, "audit-export")
    today = timezone.localdate().isoformat()
    page.fill("#id_start", today)
    page.fill("#id_end", today)
    with page.expect_download() as download_info:
        page.click("main form button[type=submit]")
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("id,created_at,actor,action")
    assert "case.search" in text and "audit.verify" in text
    assert AuditEvent.objects.filter(action="audit.export", actor=auditor).count() == 1
