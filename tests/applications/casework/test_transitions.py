"""Every (state, action) pair tried by every role: allowed exactly where the table says."""

import pytest

from applications.models import Application
from applications.models.application import StateWriteRefused
from applications.states import REVIEW_STATES, State
from applications.workflow import ACTIONS, TRANSITIONS, TransitionRefused, application_transition
from eligibility.models import Quota
from portal.audit.models import AuditEvent
from tests.applications.casework.conftest import build_case, recommend, refused, review_asked
from tests.conftest import _join_all_cases_queue, _user

ROLES = ["applicant", "stranger", "caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor", "system"]

# Written out independently of applications/workflow.py: (state, action) -> the one role
# that may take it in the test set-up below (the caseworker holds the case and recommended).
EXPECTED = {
    (State.DRAFT, "submit"): "applicant",
    (State.SUBMITTED, "start_review"): "caseworker",
    (State.SUBMITTED, "resume_review"): "caseworker",
    (State.IN_REVIEW, "request_info"): "caseworker",
    (State.AWAITING_APPLICANT, "reply"): "applicant",
    (State.IN_REVIEW, "recommend"): "caseworker",
    (State.RECOMMENDED, "send_back"): "senior",
    (State.RECOMMENDED, "approve"): "senior",
    (State.RECOMMENDED, "waitlist"): "senior",
    (State.RECOMMENDED, "refuse"): "senior",
    (State.WAITLISTED, "release"): "criteria_admin",
    (State.APPROVED, "issue"): "system",
    # Administrative review (the refusal was recommended by the caseworker and confirmed by
    # another senior, so "senior" took no part in it and reviews).
    (State.REFUSED, "review_request"): "applicant",
    (State.REVIEW_REQUESTED, "review_start"): "senior",
    (State.UNDER_REVIEW, "review_uphold"): "senior",
    (State.UNDER_REVIEW, "review_overturn"): "senior",
    (State.REVIEW_REQUESTED, "review_withdraw"): "applicant",
    (State.UNDER_REVIEW, "review_withdraw"): "applicant",
    **{
        (s, "withdraw"): "applicant"
        for s in (
            State.DRAFT,
            State.SUBMITTED,
            State.IN_REVIEW,
            State.AWAITING_APPLICANT,
            State.RECOMMENDED,
            State.WAITLISTED,
        )
    },
}


def _setup(state, action, people):
    app = build_case(people["applicant"], state=state, claimed_by=people["caseworker"])
    if state == State.RECOMMENDED or action == "recommend":
        recommend(app, people["caseworker"], "refuse" if action == "refuse" else "approve")
    if action == "waitlist":
        Quota.objects.create(product="kandas_card", year=2026, sector="it", places=0)
    if state == State.REFUSED or state in REVIEW_STATES:
        deciding = _join_all_cases_queue(_deciding_senior(), senior=True)
        refusal = refused(app, recommended_by=people["caseworker"], confirmed_by=deciding)
        if state in REVIEW_STATES:
            review_asked(app, refusal, reviewer=people["senior"] if state == State.UNDER_REVIEW else None)
    return app


def _deciding_senior():
    from portal.models import User

    return User.objects.filter(email="deciding.senior@example.kz").first() or _user(
        "deciding.senior@example.kz", "senior_caseworker", staff=True
    )


def _try(app, action, actor):
    reason = "Because of the evidence."
    application_transition(application=app, action=action, actor=actor, reason=reason)


@pytest.mark.django_db
def test_every_transition_is_allowed_only_for_its_role_in_its_state(people):
    actors = {**people, "system": None}
    for state in State:
        for action in ACTIONS:
            app = _setup(state, action, people)
            allowed_role = EXPECTED.get((state, action))
            for role in ROLES:
                if role == allowed_role:
                    continue
                with pytest.raises(TransitionRefused):
                    _try(app, action, actors[role])
                app.refresh_from_db()
                assert app.state == state, (state, action, role)
            if allowed_role:
                _try(app, action, actors[allowed_role])
                app.refresh_from_db()
                assert app.state == TRANSITIONS[(state, action)].target, (state, action)
                assert AuditEvent.objects.filter(application=app, action=action).count() == 1
            Quota.objects.all().delete()


def test_every_expected_pair_is_in_the_table():
    assert set(EXPECTED) == set(TRANSITIONS)


@pytest.mark.django_db
def test_saving_a_changed_state_outside_the_workflow_is_refused(make_case):
    app = make_case(state=State.SUBMITTED)
    app.state = State.APPROVED
    with pytest.raises(StateWriteRefused):
        app.save()
    with pytest.raises(StateWriteRefused):
        Application.objects.filter(pk=app.pk).update(state=State.APPROVED)
    with pytest.raises(StateWriteRefused):
        Application.objects.bulk_update([app], ["state"])
    app.refresh_from_db()
    assert app.state == State.SUBMITTED


@pytest.mark.django_db
def test_a_refusal_needs_a_reason(make_case, senior, caseworker):
    app = make_case(state=State.RECOMMENDED, claimed_by=caseworker)
    recommend(app, caseworker, "refuse")
    with pytest.raises(TransitionRefused):
        application_transition(application=app, action="refuse", actor=senior, reason="  ")
