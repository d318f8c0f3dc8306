"""Cases driven through the real workflow, so the counters see every transition."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application
from applications.states import State
from applications.workflow import application_transition
from tests.applications.casework.conftest import build_case, recommend

ANSWERS = {
    "personal": {"citizenship": "CN", "given_name": "Aigerim"},
    "profession": {"education_level": "master", "occupation_code": "2221"},
}


def lifecycle(
    owner, caseworker, senior, *, outcome: str = "approve", late: bool = False, issue: bool = False, **fields
) -> Application:
    """A case from draft to ``outcome`` ("approve", "refuse", "withdraw" or "" to stop in review),
    and to "card issued" with ``issue`` (the card task's transition, actor None)."""
    fields.setdefault("answers", ANSWERS)
    fields.setdefault("occupation_code", "2221")
    app = build_case(owner, state=State.DRAFT, score=None, reference=None, **fields)
    application_transition(application=app, action="submit", actor=owner)
    if outcome == "withdraw":
        return application_transition(application=app, action="withdraw", actor=owner)
    application_transition(application=app, action="start_review", actor=caseworker)
    if not outcome:
        return app
    recommend(app, caseworker, outcome)
    application_transition(application=app, action="recommend", actor=caseworker, reason="Reasons")
    if late:  # the deadline passed while the case waited for the senior
        Application.objects.filter(pk=app.pk).update(sla_due_at=timezone.now() - timedelta(days=1))
    app = application_transition(application=app, action=outcome, actor=senior, reason="Confirmed")
    if issue:
        app = application_transition(application=app, action="issue", actor=None)
    return app


@pytest.fixture
def drive(applicant, caseworker, senior):
    def run(**kw) -> Application:
        return lifecycle(kw.pop("owner", applicant), caseworker, senior, **kw)

    return run
