"""Administrative review in a real Chromium: a senior confirms a refusal; the applicant reads the
review route and its deadline on the status page and asks for a review with grounds and a
document; another senior, who took no part in the refusal, finds it in the reviews queue,
takes it up and overturns it; a caseworker decides the case again and the first senior
confirms the approval, which takes a quota place and issues the card.

The case is submitted and the refusal recommended through the services (the pages before
them are walked by test_applicant_journey.py and test_casework_journey.py).
"""

import pytest
from django.db.models import F

from applications.casework.quotas import quotas_for
from applications.casework.services import case_claim, decision_recommend
from applications.models import AdministrativeReview, IssuedCard, LegalGround
from applications.states import State
from eligibility.models import Quota
from portal.audit.models import AuditEvent
from tests.browser.conftest import check_page, photo_jpeg
from tests.browser.test_casework_journey import new_page, sign_in, sign_in_with_totp, submitted_kandas_case, totp_device
from tests.conftest import _join_all_cases_queue, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_refusal_review_overturn_and_a_new_approval(page, web_server, applicant, caseworker, senior, tmp_path):
    application = submitted_kandas_case(applicant)
    reviewer = _join_all_cases_queue(_user("reviewing.senior@example.kz", "senior_caseworker", staff=True), senior=True)
    senior_key, reviewer_key = totp_device(senior), totp_device(reviewer)
    # Every quota of the case has room; the new approval must take one place in each.
    for quota in quotas_for(application):
        Quota.objects.filter(pk=quota.pk).update(places=F("used") + 5)
    used_before = {q.pk: q.used for q in quotas_for(application)}

    refuse_ground = LegalGround.objects.filter(applies_to="refuse", is_active=True).order_by("pk").first()
    case_claim(application=application, actor=caseworker)
    decision_recommend(
        application=application,
        actor=caseworker,
        recommendation="refuse",
        grounds=[refuse_ground],
        text="The diploma is not evidenced.",
    )

    # The senior confirms the refusal, through the "are you sure" page.
    sign_in_with_totp(page, senior, senior_key)
    page.goto(f"/casework/cases/{application.pk}/")
    page.click(f"form[action='/casework/cases/{application.pk}/confirm/'] button[type=submit]")
    page.wait_for_selector("main input[name='confirm_token']", state="attached")
    page.click(f"main form[action='/casework/cases/{application.pk}/confirm/'] button[type=submit]")
    page.wait_for_url(f"**/casework/cases/{application.pk}/")
    application.refresh_from_db()
    assert application.state == State.REFUSED

    # The applicant: the status page shows the route and its last day; the request form.
    holder = new_page(page, web_server)
    sign_in(holder, applicant.email)
    holder.wait_for_url(lambda url: "/accounts/login/" not in url)
    holder.goto(f"/applications/{application.pk}/status/")
    check_page(holder, "review-status-refused")
    holder.click(f"a[href='/applications/{application.pk}/review/']")
    holder.wait_for_url(f"**/applications/{application.pk}/review/")
    # Sent empty: the error summary, in Kazakh.
    holder.click("main form button[type=submit]")
    holder.wait_for_selector(".error-summary")
    check_page(holder, "review-request-error")
    holder.fill('[name="grounds"]', "Дипломым апостильмен расталған, көшірмесін қоса беремін.")
    diploma = tmp_path / "diploma.jpg"
    diploma.write_bytes(photo_jpeg((800, 600), (120, 60, 30)))
    holder.set_input_files('[name="files"]', str(diploma))
    check_page(holder, "review-request")
    holder.click("main form button[type=submit]")
    holder.wait_for_url(f"**/applications/{application.pk}/status/")
    check_page(holder, "review-status-requested")
    application.refresh_from_db()
    assert application.state == State.REVIEW_REQUESTED
    review = AdministrativeReview.objects.get(application=application)
    assert review.documents.count() == 1

    # The senior who confirmed the refusal is not offered the review.
    page.goto(f"/casework/cases/{application.pk}/")
    assert page.locator(f"form[action='/casework/cases/{application.pk}/review_start/']").count() == 0

    # Another senior: the reviews queue, the case, "take up", "overturn".
    desk = new_page(page, web_server)
    sign_in_with_totp(desk, reviewer, reviewer_key)
    desk.goto("/casework/?work=reviews")
    check_page(desk, "review-queue")
    desk.click(f"#main-content a[href='/casework/cases/{application.pk}/']")
    desk.wait_for_url(f"**/casework/cases/{application.pk}/")
    desk.click(f"form[action='/casework/cases/{application.pk}/review_start/'] button[type=submit]")
    desk.wait_for_url(f"**/casework/cases/{application.pk}/")
    overturn = desk.locator(f"form[action='/casework/cases/{application.pk}/review_overturn/']")
    desk.locator("details", has=overturn).locator("summary").click()
    overturn.locator('[name="reason"]').fill("The apostilled diploma answers the refusal: decide again.")
    check_page(desk, "review-overturn")
    overturn.locator("button[type=submit]").click()
    desk.wait_for_url(f"**/casework/cases/{application.pk}/")
    application.refresh_from_db()
    assert (application.state, application.claimed_by_id) == (State.SUBMITTED, None)

    # A caseworker decides again: claim, recommend approval (services); the senior confirms.
    case_claim(application=application, actor=caseworker)
    approve_ground = LegalGround.objects.filter(applies_to="approve", is_active=True).order_by("pk").first()
    decision_recommend(
        application=application, actor=caseworker, recommendation="approve", grounds=[approve_ground], text="Ok."
    )
    page.goto(f"/casework/cases/{application.pk}/")
    page.click(f"form[action='/casework/cases/{application.pk}/confirm/'] button[type=submit]")
    page.wait_for_selector("main input[name='confirm_token']", state="attached")
    page.click(f"main form[action='/casework/cases/{application.pk}/confirm/'] button[type=submit]")
    page.wait_for_url(f"**/casework/cases/{application.pk}/")

    application.refresh_from_db()
    assert application.state == State.ISSUED
    assert IssuedCard.objects.filter(application=application).exists()
    for quota in quotas_for(application):
        assert quota.used == used_before[quota.pk] + 1
    journey = ["refuse", "review_request", "review_start", "review_overturn", "approve", "issue"]
    events = AuditEvent.objects.filter(application=application, action__in=journey).order_by("created_at", "id")
    assert list(events.values_list("action", flat=True)) == journey
    holder.goto(f"/applications/{application.pk}/status/")
    check_page(holder, "review-status-approved")
