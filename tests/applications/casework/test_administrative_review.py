"""Administrative review of a refusal (issue 19): every review transition for every role, the
impartial reviewer, the request period closing the route, one review per refusal, the
review's own SLA, and an overturn leading to an approval that takes a quota place."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import reviews
from applications.casework.quotas import quota_year
from applications.casework.services import case_claim, decision_confirm, decision_recommend
from applications.casework.sla import add_working_days
from applications.models import AdministrativeReview, Document, LegalGround, Notification
from applications.states import REVIEW_STATES, State
from applications.workflow import TRANSITIONS, TransitionRefused, actions_for, application_transition
from eligibility.models import Quota
from portal.audit.models import AuditEvent
from tests.applications.applicant.conftest import png_bytes
from tests.applications.casework.conftest import build_case, refused, review_asked
from tests.conftest import _join_all_cases_queue, _user

pytestmark = pytest.mark.django_db

ROLES = ["applicant", "stranger", "caseworker", "deciding_senior", "senior", "criteria_admin", "auditor"]

# Written out independently of the table: (state, action) -> the one role that may take it. The
# refusal was recommended by "caseworker" and confirmed by "deciding_senior"; "senior" took no
# part in it (and, under review, is the one who took the review up).
EXPECTED = {
    (State.REFUSED, "review_request"): "applicant",
    (State.REVIEW_REQUESTED, "review_start"): "senior",
    (State.UNDER_REVIEW, "review_uphold"): "senior",
    (State.UNDER_REVIEW, "review_overturn"): "senior",
    (State.REVIEW_REQUESTED, "review_withdraw"): "applicant",
    (State.UNDER_REVIEW, "review_withdraw"): "applicant",
}
NOTIFIED = {
    "review_request": "review_requested",
    "review_uphold": "review_decided",
    "review_overturn": "review_decided",
    "review_withdraw": "review_withdrawn",
}


@pytest.fixture(autouse=True)
def _in_english():
    """The refusals' messages are matched in English (the portal's default language is Kazakh)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def deciding_senior(db):
    return _join_all_cases_queue(_user("deciding.senior@example.kz", "senior_caseworker", staff=True), senior=True)


@pytest.fixture
def actors(people, deciding_senior):
    return {**people, "deciding_senior": deciding_senior}


def refused_case(actors, state=State.REFUSED, *, at=None):
    app = build_case(actors["applicant"], state=state, claimed_by=actors["caseworker"])
    refusal = refused(app, recommended_by=actors["caseworker"], confirmed_by=actors["deciding_senior"], at=at)
    if state in REVIEW_STATES:
        review_asked(app, refusal, reviewer=actors["senior"] if state == State.UNDER_REVIEW else None)
    return app


def test_the_expected_review_pairs_are_the_tables():
    assert {k for k in TRANSITIONS if k[1].startswith("review_")} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("state", "action"), list(EXPECTED))
def test_every_review_transition_for_every_role(actors, state, action, role):
    app = refused_case(actors, state)
    actor = actors[role]
    if role != EXPECTED[(state, action)]:
        with pytest.raises(TransitionRefused):
            application_transition(application=app, action=action, actor=actor, reason="Grounds given.")
        app.refresh_from_db()
        assert app.state == state
        assert not AuditEvent.objects.filter(application=app, action=action).exists()
        assert action not in actions_for(app, actor)
        return
    assert action in actions_for(app, actor)
    application_transition(application=app, action=action, actor=actor, reason="Grounds given.")
    app.refresh_from_db()
    assert app.state == TRANSITIONS[(state, action)].target
    event = AuditEvent.objects.get(application=app, action=action)
    assert (event.actor, event.from_state, event.to_state) == (actor, state, app.state)
    if action in NOTIFIED:
        sent = Notification.objects.filter(application=app, kind=NOTIFIED[action], recipient=actors["applicant"])
        assert sorted(sent.values_list("channel", flat=True)) == ["email", "in_app"]


def test_the_deciding_senior_is_refused_with_the_reason(actors):
    app = refused_case(actors, State.REVIEW_REQUESTED)
    with pytest.raises(TransitionRefused, match="took part in the refusal"):
        reviews.review_start(application=app, actor=actors["deciding_senior"])


def test_a_senior_who_recommended_the_refusal_may_not_review_it(actors):
    recommending = actors["senior"]
    app = build_case(actors["applicant"], state=State.REVIEW_REQUESTED, claimed_by=recommending)
    review_asked(app, refused(app, recommended_by=recommending, confirmed_by=actors["deciding_senior"]))
    with pytest.raises(TransitionRefused, match="took part in the refusal"):
        reviews.review_start(application=app, actor=recommending)
    third = _join_all_cases_queue(_user("third.senior@example.kz", "senior_caseworker", staff=True), senior=True)
    reviews.review_start(application=app, actor=third)
    app.refresh_from_db()
    assert app.state == State.UNDER_REVIEW
    assert app.reviews.get().reviewer == third


def test_only_the_senior_who_took_up_the_review_decides_it(actors):
    app = refused_case(actors, State.UNDER_REVIEW)  # taken up by "senior"
    other = _join_all_cases_queue(_user("other.senior@example.kz", "senior_caseworker", staff=True), senior=True)
    with pytest.raises(TransitionRefused, match="took up the review"):
        reviews.review_overturn(application=app, actor=other, reason="Fine.")


def test_the_route_closes_after_the_period_the_letter_states(actors, settings):
    settings.ADMIN_REVIEW_REQUEST_DAYS = 30
    app = refused_case(actors, at=timezone.now() - timedelta(days=31))
    assert "review_request" not in actions_for(app, actors["applicant"])
    route = reviews.review_route(app)
    assert route.closed and not route.may_request
    with pytest.raises(TransitionRefused, match="time to ask for a review ended"):
        reviews.review_request(application=app, actor=actors["applicant"], grounds="Please look again.")
    app.refresh_from_db()
    assert app.state == State.REFUSED and not AdministrativeReview.objects.exists()
    # The period is the setting: a longer one reopens the same refusal.
    settings.ADMIN_REVIEW_REQUEST_DAYS = 40
    assert "review_request" in actions_for(app, actors["applicant"])


def test_one_review_per_refusal_a_withdrawn_request_closes_the_route(actors):
    app = refused_case(actors)
    reviews.review_request(application=app, actor=actors["applicant"], grounds="Please look again.")
    reviews.review_withdraw(application=app, actor=actors["applicant"])
    app.refresh_from_db()
    assert app.state == State.REFUSED
    assert app.reviews.get().outcome == AdministrativeReview.Outcome.WITHDRAWN
    assert reviews.review_route(app).request_by is None
    with pytest.raises(TransitionRefused, match="already been reviewed"):
        reviews.review_request(application=app, actor=actors["applicant"], grounds="Again.")


def test_the_request_has_its_own_working_day_target_and_keeps_the_dates(actors, settings):
    settings.ADMIN_REVIEW_WORKING_DAYS = 7
    app = refused_case(actors)
    decided, submitted = app.decided_at, app.submitted_at
    before = timezone.now()
    review = reviews.review_request(application=app, actor=actors["applicant"], grounds="Please look again.")
    app.refresh_from_db()
    assert add_working_days(before, 7) <= review.due_at <= add_working_days(timezone.now(), 7)
    assert app.sla_due_at == review.due_at
    # Neither the refusal's date (the letter's) nor the submission date moves.
    assert (app.decided_at, app.submitted_at) == (decided, submitted)
    assert review.refusal == app.decisions.get()


def test_the_grounds_documents_go_through_the_upload_pipeline(actors):
    app = refused_case(actors)
    upload = SimpleUploadedFile("diploma.png", png_bytes(color=(9, 9, 9)), content_type="image/png")
    review = reviews.review_request(
        application=app, actor=actors["applicant"], grounds="My degree was missed.", files=[upload]
    )
    document = review.documents.get()
    assert (document.kind, document.application_id) == (Document.Kind.OTHER, app.pk)
    assert AuditEvent.objects.filter(application=app, action="document.upload").count() == 1
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    other = refused_case(actors)
    from applications.documents.services import UploadRefused

    with pytest.raises(UploadRefused):
        reviews.review_request(application=other, actor=actors["applicant"], grounds="x", files=[bad])
    other.refresh_from_db()
    assert other.state == State.REFUSED and not other.reviews.exists()


def test_upheld_the_case_stays_refused_with_the_reviewers_reasons_in_the_letter(actors):
    from applications.cards.pdf import decision_letter_pdf
    from tests.applications.cards.test_pdfs import text_of

    app = refused_case(actors, State.UNDER_REVIEW)
    reviews.review_uphold(application=app, actor=actors["senior"], reason="The degree is not recognised.")
    app.refresh_from_db()
    assert app.state == State.REFUSED
    assert app.reviews.get().outcome == AdministrativeReview.Outcome.UPHELD
    assert reviews.review_route(app).request_by is None
    text = " ".join(text_of(decision_letter_pdf(app, language="en")).split())
    assert "upheld the refusal" in text and "The degree is not recognised." in text


def test_the_letter_states_the_period_from_the_setting(actors, settings):
    from applications.cards.pdf import decision_letter_pdf
    from tests.applications.cards.test_pdfs import text_of

    settings.ADMIN_REVIEW_REQUEST_DAYS = 45
    app = refused_case(actors)
    text = " ".join(text_of(decision_letter_pdf(app, language="en")).split())
    assert "within 45 days of the refusal" in text
    assert "30 days" not in text


def test_overturned_the_case_is_decided_again_and_its_approval_takes_a_quota_place(actors):
    applicant, caseworker, deciding, senior = (
        actors[k] for k in ("applicant", "caseworker", "deciding_senior", "senior")
    )
    quota = Quota.objects.create(product="kandas_card", year=quota_year(), sector="it", places=1)
    app = build_case(applicant, state=State.SUBMITTED)
    case_claim(application=app, actor=caseworker)
    refuse_ground = LegalGround.objects.filter(applies_to="refuse").first()
    decision_recommend(application=app, actor=caseworker, recommendation="refuse", grounds=[refuse_ground], text="No")
    decision_confirm(application=app, actor=deciding)
    app.refresh_from_db()
    assert app.state == State.REFUSED

    reviews.review_request(application=app, actor=applicant, grounds="My score missed my degree.")
    reviews.review_start(application=app, actor=senior)
    reviews.review_overturn(application=app, actor=senior, reason="The degree counts: decide again.")
    app.refresh_from_db()
    assert (app.state, app.claimed_by_id) == (State.SUBMITTED, None)
    assert app.reviews.get().outcome == AdministrativeReview.Outcome.OVERTURNED

    case_claim(application=app, actor=caseworker)
    approve_ground = LegalGround.objects.filter(applies_to="approve").first()
    decision_recommend(application=app, actor=caseworker, recommendation="approve", grounds=[approve_ground], text="Ok")
    decision_confirm(application=app, actor=deciding)
    app.refresh_from_db()
    quota.refresh_from_db()
    assert app.state in (State.APPROVED, State.ISSUED)
    assert quota.used == 1
    assert AuditEvent.objects.get(application=app, action="approve").snapshot["quotas_used"].count(quota.pk) == 1


def test_an_overturned_case_waits_for_a_place_like_any_approval_when_the_quota_is_full(actors):
    Quota.objects.create(product="kandas_card", year=quota_year(), sector="it", places=0)
    app = refused_case(actors, State.UNDER_REVIEW)
    reviews.review_overturn(application=app, actor=actors["senior"], reason="Decide again.")
    case_claim(application=app, actor=actors["caseworker"])
    ground = LegalGround.objects.filter(applies_to="approve").first()
    decision_recommend(
        application=app, actor=actors["caseworker"], recommendation="approve", grounds=[ground], text="Ok"
    )
    decision_confirm(application=app, actor=actors["deciding_senior"])
    app.refresh_from_db()
    assert app.state == State.WAITLISTED


@pytest.mark.parametrize("language", ["kk", "ru", "uz", "zh-hans"])
def test_the_review_e_mails_are_in_the_applicants_language(actors, language):
    from applications.notifications import notification_message

    applicant = actors["applicant"]
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    app = refused_case(actors)
    reviews.review_request(application=app, actor=applicant, grounds="Please look again.")
    reviews.review_start(application=app, actor=actors["senior"])
    reviews.review_uphold(application=app, actor=actors["senior"], reason="Upheld.")
    other = refused_case(actors)
    reviews.review_request(application=other, actor=applicant, grounds="Please look again.")
    reviews.review_withdraw(application=other, actor=applicant)
    rows = Notification.objects.filter(channel="email", kind__in=set(NOTIFIED.values())).order_by("pk")
    assert sorted(rows.values_list("kind", flat=True)) == sorted(
        ["review_requested", "review_decided", "review_requested", "review_withdrawn"]
    )
    english = ["review", "refusal", "decision"]
    for row in rows:
        message = notification_message(row)
        assert app.reference in message.subject or other.reference in message.subject
        assert not any(word in message.body.lower() for word in english), (row.kind, message.body)


def test_a_review_is_exported_and_erased_with_its_application(actors):
    from applications.privacy import applicant_data, application_erase

    app = refused_case(actors, State.UNDER_REVIEW)
    reviews.review_overturn(application=app, actor=actors["senior"], reason="Decide again.")
    exported = next(a for a in applicant_data(actors["applicant"])["applications"] if a["id"] == app.pk)
    assert exported["reviews"][0]["outcome"] == "overturned"
    assert "reviewer" not in exported["reviews"][0]
    application_transition(application=app, action="withdraw", actor=actors["applicant"])
    application_erase(application=app, actor=actors["applicant"], reason="my right")
    assert not AdministrativeReview.objects.exists()
