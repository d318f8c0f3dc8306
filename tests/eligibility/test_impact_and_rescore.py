"""Impact preview of a draft over the submitted pool, and rescoring old vs new."""

import time

import pytest

from applications.models import Application
from eligibility.impact import impact_compute_report, impact_request
from eligibility.models import CriteriaSet, ImpactReport
from eligibility.rescoring import rescore_pool
from eligibility.services import (
    application_facts,
    application_score,
    criteria_set_new_draft,
    evaluator_for,
    rescore_preview,
)
from tests.eligibility.db_helpers import seed_set, skills_answers, skills_sector, submitted_application


def _pool(owner, n=24):
    return [submitted_application(owner, "skills_visa", skills_answers(i), sector=skills_sector(i)) for i in range(n)]


def _stricter_draft(published):
    draft = criteria_set_new_draft(criteria_set=published, actor=None)
    CriteriaSet.objects.filter(pk=draft.pk).update(pass_mark=70)
    draft.refresh_from_db()
    return draft


@pytest.mark.django_db
def test_impact_report_counts_passes_flips_histogram_and_sectors(applicant):
    published = seed_set("skills_visa")
    apps = _pool(applicant)
    draft = _stricter_draft(published)
    report = ImpactReport.objects.create(criteria_set=draft)
    report = impact_compute_report(report.pk)

    now_ev, draft_ev = evaluator_for(published), evaluator_for(draft)
    now = [now_ev.score(application_facts(a))[1] for a in apps]
    new = [draft_ev.score(application_facts(a))[1] for a in apps]
    r = report.result
    assert (report.status, report.total, report.done, report.percent) == ("done", 24, 24, 100)
    assert r["passing_now"] == now.count("pass") > r["passing_draft"] == new.count("pass")
    assert sum(r["flip_counts"].values()) == sum(1 for a, b in zip(now, new, strict=True) if a != b) == len(r["flips"])
    assert sum(b["now"] for b in r["histogram"]) == sum(b["draft"] for b in r["histogram"]) == 24
    assert sum(s["count"] for s in r["by_sector"].values()) == 24
    assert set(r["by_sector"]) == {"it", "science", "healthcare", "other"}
    assert all(a.score is None for a in Application.objects.all()), "a preview writes nothing on applications"


@pytest.mark.django_db(transaction=True)
def test_impact_preview_runs_on_a_real_celery_worker(celery_worker, applicant):
    published = seed_set("skills_visa")
    _pool(applicant, 12)
    draft = _stricter_draft(published)
    report = impact_request(criteria_set=draft, actor=None)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in ("done", "failed"):
            break
        time.sleep(0.2)
    assert report.status == "done", celery_worker.worker_process.log()
    assert report.result["pool"] == 12


@pytest.mark.django_db
def test_application_keeps_its_stamped_set_and_rescoring_shows_old_vs_new(applicant):
    v1 = seed_set("skills_visa")
    app = submitted_application(applicant, "skills_visa", skills_answers(4))
    first = application_score(application=app)
    assert app.criteria_set == v1 and app.score == first["total"]
    v2 = _stricter_draft(v1)
    from eligibility.services import criteria_set_publish

    criteria_set_publish(criteria_set=v2, actor=None)
    app.refresh_from_db()
    assert app.criteria_set == v1  # publishing a new version does not move scored applications
    (row,) = rescore_preview(applications=[app], criteria_set=v2)
    assert (row["old_total"], row["old_status"]) == (first["total"], first["status"])
    assert row["new_status"] == evaluator_for(v2).score(application_facts(app))[1]


@pytest.mark.django_db
def test_rescore_pool_writes_every_score_set_based(applicant):
    cs = seed_set("skills_visa")
    apps = _pool(applicant, 30)
    stats = rescore_pool(criteria_set=cs, states=("submitted",))
    assert (stats.rows, stats.changed) == (30, 30)
    ev = evaluator_for(cs)
    for app in Application.objects.filter(pk__in=[a.pk for a in apps]):
        total, status = ev.score(application_facts(app))
        assert (app.score, app.passes) == (total, {"pass": True, "fail": False}.get(status))
        assert app.scored_at is not None
    assert rescore_pool(criteria_set=cs, states=("submitted",)).changed == 0


@pytest.mark.django_db
def test_score_task_stores_the_breakdown_and_is_idempotent(applicant):
    from eligibility.tasks import application_score_task

    cs = seed_set("skills_visa")
    app = submitted_application(applicant, "skills_visa", skills_answers(7))
    first = application_score_task.apply(args=[app.pk]).get()
    second = application_score_task.apply(args=[app.pk]).get()
    app.refresh_from_db()
    assert first == second == app.score
    assert app.criteria_set == cs
    assert app.score_detail["lines"] and app.score_detail["status"] in ("pass", "fail", "needs_more_information")
    assert application_score_task.apply(args=[10**9]).get() is None
