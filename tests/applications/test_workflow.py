import pytest
from django.db import transaction
from django.utils import timezone

from applications.models import Application, Notification
from applications.models.application import StateWriteRefused
from applications.states import State
from applications.workflow import TRANSITIONS, TransitionRefused, actions_for, application_transition
from portal.audit.models import AuditEvent
from tests.applications.factories import ApplicationFactory


@pytest.fixture
def draft(applicant):
    return ApplicationFactory(owner=applicant)


def test_submit_moves_draft_to_submitted_with_audit_and_notification(draft, applicant):
    app = application_transition(application=draft, action="submit", actor=applicant)
    assert app.state == State.SUBMITTED and app.submitted_at is not None
    event = AuditEvent.objects.get(application=app)
    assert (event.actor, event.action, event.from_state, event.to_state) == (applicant, "submit", "draft", "submitted")
    kinds = set(Notification.objects.filter(application=app).values_list("kind", "channel"))
    assert kinds == {("application_submitted", "email"), ("application_submitted", "in_app")}


def test_saving_a_changed_state_outside_the_workflow_is_refused(draft):
    draft.state = State.APPROVED
    with pytest.raises(StateWriteRefused):
        draft.save()
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT


def test_queryset_update_of_state_is_refused(draft):
    with pytest.raises(StateWriteRefused):
        Application.objects.filter(pk=draft.pk).update(state=State.APPROVED)


def test_saving_other_fields_is_allowed(draft):
    draft.applicant_name = "Aigerim Nurlanovna"
    draft.save()
    assert Application.objects.get(pk=draft.pk).applicant_name == "Aigerim Nurlanovna"


def test_stranger_cannot_submit_someone_elses_application(draft, stranger):
    with pytest.raises(TransitionRefused):
        application_transition(application=draft, action="submit", actor=stranger)
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT
    assert not AuditEvent.objects.exists()


def test_an_action_not_in_the_table_for_the_state_is_refused(draft, senior):
    with pytest.raises(TransitionRefused):
        application_transition(application=draft, action="approve", actor=senior)


def test_reason_is_required_where_the_table_says_so(draft, applicant, caseworker):
    application_transition(application=draft, action="submit", actor=applicant)
    application_transition(application=draft, action="start_review", actor=caseworker)
    with pytest.raises(TransitionRefused):
        application_transition(application=draft, action="request_info", actor=caseworker, reason="  ")


@pytest.mark.parametrize("state", list(State))
def test_actions_offered_match_the_table_for_every_state(state, applicant):
    app = ApplicationFactory(owner=applicant)
    app.state = state  # in memory only: actions_for reads the state, nothing is saved
    app.decided_at = timezone.now()  # a refusal of today: its review route is open
    expected = {action for (source, action), rule in TRANSITIONS.items() if source == state and rule.who == "owner"}
    assert set(actions_for(app, applicant)) == expected


def test_failed_side_effect_rolls_back_the_state_change(draft, applicant, monkeypatch):
    import applications.workflow as workflow

    def broken(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(workflow, "notification_create", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        application_transition(application=draft, action="submit", actor=applicant)
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT
    assert not AuditEvent.objects.exists()
