"""Case builders for the casework tests."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationScore, Decision, LegalGround
from applications.states import State
from applications.workflow import state_writes_for_seeding

_counter = itertools.count(1)


def build_case(owner, *, state=State.SUBMITTED, product="kandas_card", region_id="KZ-55", sector="it", score=70, **kw):
    """An application already in ``state`` (written directly, as fixtures may)."""
    n = next(_counter)
    defaults = {
        "reference": f"KC-2026-{n:06d}" if product == "kandas_card" else f"VS-2026-{n:06d}",
        "applicant_name": f"Applicant {n}",
        "passport_number": f"N{n:08d}",
        "submitted_at": None if state == State.DRAFT else timezone.now() - timedelta(days=1),
        "priority": 2,
    }
    defaults.update(kw)
    with state_writes_for_seeding():
        app = Application.objects.create(
            owner=owner, state=state, product=product, region_id=region_id, sector=sector, **defaults
        )
    if score is not None or state != State.DRAFT:  # submitted cases always have a row, as after submit
        ApplicationScore.store(app, score=score, passes=None, scored_at=None)
    return app


def recommend(app, by, recommendation="approve"):
    """A pending recommendation on ``app`` by ``by`` (as decision_recommend leaves it)."""
    decision = Decision.objects.create(
        application=app, recommendation=recommendation, text="Reasons", recommended_by=by
    )
    decision.grounds.set(LegalGround.objects.filter(applies_to=recommendation)[:1])
    return decision


@pytest.fixture
def make_case(applicant):
    def make(**kw):
        return build_case(kw.pop("owner", applicant), **kw)

    return make


@pytest.fixture
def threads_run_eager_tasks():
    """Concurrency tests run eager Celery tasks (outbox e-mails) in several threads at once.

    Celery keeps "joining a result would block" in one process-wide global that eager
    apply() sets and restores; threads interleaving can leave it set, which breaks later
    tests that wait on a real worker's result. Put it back as it was.
    """
    from celery import _state

    before = _state.task_join_will_block()
    yield
    _state._set_task_join_will_block(before)


def refused(app, *, recommended_by, confirmed_by, at=None):
    """A confirmed refusal on ``app`` (as decision_confirm leaves it), decided ``at``."""
    decision = recommend(app, recommended_by, "refuse")
    decision.outcome = Decision.Outcome.CONFIRMED
    decision.confirmed_by = confirmed_by
    decision.confirmed_at = at or timezone.now()
    decision.save(update_fields=["outcome", "confirmed_by", "confirmed_at"])
    Application.objects.filter(pk=app.pk).update(decided_at=decision.confirmed_at)
    app.decided_at = decision.confirmed_at
    return decision


def review_asked(app, refusal, *, reviewer=None):
    """An open review request of ``refusal`` (taken up by ``reviewer`` when given)."""
    from applications.models import AdministrativeReview

    return AdministrativeReview.objects.create(
        application=app,
        refusal=refusal,
        grounds="The score missed my degree.",
        due_at=timezone.now() + timedelta(days=14),
        reviewer=reviewer,
        started_at=timezone.now() if reviewer else None,
    )
