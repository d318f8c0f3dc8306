"""One writer for scores: single scoring and pool rescoring give the same rows, priorities and audit."""

import pytest

from applications.casework.queues import queue_priority
from applications.models import Application, ApplicationScore
from applications.scoring.rescoring import rescore_pool
from applications.scoring.services import application_score
from applications.states import UNDECIDED_STATES
from eligibility.models import CriteriaSet, ScarceProfession
from eligibility.services import criteria_set_new_draft, criteria_set_publish
from portal.audit.models import AuditEvent
from tests.eligibility.db_helpers import seed_set, skills_answers, skills_sector, submitted_application
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

OCCUPATIONS = ["2211", "2512", "4110", ""]  # a scarce doctor, a listed developer, a clerk, none


def _pool(owner, n=12):
    ScarceProfession.objects.create(occupation_id="2211", year=2020, sector="healthcare", priority=1)
    ScarceProfession.objects.create(occupation_id="2512", year=2020, sector="it", priority=2)
    return [
        submitted_application(
            owner,
            "skills_visa",
            skills_answers(i),
            sector=skills_sector(i),
            occupation_code=OCCUPATIONS[i % 4],
        )
        for i in range(n)
    ]


def _state_of(pks):
    return {
        a.pk: (a.score, a.passes, a.priority, a.criteria_set_id)
        for a in Application.objects.filter(pk__in=pks).select_related("scoring")
    }


def _make_stale(pks):
    """Scores and priorities as an older set and an older rating would have left them."""
    ApplicationScore.objects.filter(pk__in=pks).update(score=0, passes=None)
    for i, pk in enumerate(pks):
        Application.objects.filter(pk=pk).update(priority=[1, 2, 3][i % 3])


def test_bulk_rescore_gives_every_case_the_priority_scoring_it_alone_gives(applicant):
    cs = seed_set("skills_visa")
    apps = _pool(applicant)
    pks = [a.pk for a in apps]
    for app in apps:
        application_score(application=app)
    alone = _state_of(pks)
    assert {priority for _score, _passes, priority, _set in alone.values()} != {3}, "the pool needs varied priorities"
    _make_stale(pks)

    stats = rescore_pool(criteria_set=cs, states=UNDECIDED_STATES)

    assert stats.changed == len(apps)
    assert _state_of(pks) == alone
    for score, _passes, priority, _set in alone.values():
        assert priority <= queue_priority(score, None)  # the scarce category only raises it


def test_single_scoring_and_a_rescore_each_leave_one_audit_event(applicant, criteria_admin):
    cs = seed_set("skills_visa")
    app = _pool(applicant, 1)[0]
    application_score(application=app, actor=criteria_admin)
    event = AuditEvent.objects.get(action="application.score")
    assert (event.application_id, event.actor, event.snapshot["score"]) == (app.pk, criteria_admin, app.score)
    rescore_pool(criteria_set=cs, states=UNDECIDED_STATES, actor=criteria_admin)
    assert AuditEvent.objects.filter(action="applications.rescore", actor=criteria_admin).count() == 1


def test_the_set_based_and_the_plain_writer_write_the_same_rows(applicant):
    require_postgres()
    v1 = seed_set("skills_visa")
    apps = _pool(applicant, 30)
    pks = [a.pk for a in apps]
    Application.objects.filter(pk__in=pks[::2]).update(criteria_set=v1)
    draft = criteria_set_new_draft(criteria_set=v1, actor=None)
    CriteriaSet.objects.filter(pk=draft.pk).update(pass_mark=70)
    v2 = criteria_set_publish(criteria_set=CriteriaSet.objects.get(pk=draft.pk), actor=None)
    _make_stale(pks)
    ApplicationScore.objects.filter(pk__in=pks[:5]).delete()  # never scored: rows to insert

    results = {}
    for set_based in (True, False):
        with pytest.raises(_Rollback):
            from django.db import transaction

            with transaction.atomic():
                stats = rescore_pool(criteria_set=v2, states=UNDECIDED_STATES, stamp_set=True, set_based=set_based)
                results[set_based] = (stats.changed, _state_of(pks))
                raise _Rollback
    assert results[True] == results[False]
    assert results[True][0] == 30
    assert {cs for *_rest, cs in results[True][1].values()} == {v2.pk}


def test_the_set_based_writer_runs_on_postgresql_and_refuses_a_database_without_copy(applicant):
    from django.db import connection

    cs = seed_set("skills_visa")
    _pool(applicant, 1)
    if connection.vendor == "postgresql":
        assert rescore_pool(criteria_set=cs, states=UNDECIDED_STATES, set_based=True).rows == 1
    else:
        with pytest.raises(ValueError, match="needs PostgreSQL"):
            rescore_pool(criteria_set=cs, states=UNDECIDED_STATES, set_based=True)


class _Rollback(Exception):
    """Undo one writer's run so the other starts from the same rows."""
