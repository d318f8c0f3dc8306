"""Impact preview of a draft over the submitted pool, and rescoring old vs new."""

import time

import pytest

from applications.facts import application_facts
from applications.models import Application
from applications.scoring.impact import impact_compute_report
from applications.scoring.rescoring import rescore_pool
from applications.scoring.services import application_score, rescore_preview
from applications.scoring.tasks import impact_request
from eligibility.models import CriteriaSet, ImpactReport
from eligibility.services import criteria_set_new_draft, evaluator_for
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
    outcomes = {o["status"]: (o["now"], o["draft"]) for o in r["outcomes"]}
    assert outcomes == {s: (now.count(s), new.count(s)) for s in ("pass", "fail", "needs_more_information")}
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
    from applications.scoring.tasks import application_score_task

    cs = seed_set("skills_visa")
    app = submitted_application(applicant, "skills_visa", skills_answers(7))
    first = application_score_task.apply(args=[app.pk]).get()
    second = application_score_task.apply(args=[app.pk]).get()
    app.refresh_from_db()
    assert first == second == app.score
    assert app.criteria_set == cs
    assert app.score_detail["lines"] and app.score_detail["status"] in ("pass", "fail", "needs_more_information")
    assert application_score_task.apply(args=[10**9]).get() is None


@pytest.mark.django_db
def test_rescore_pool_writes_only_changed_results_and_leaves_the_application_rows(applicant):
    from applications.models import ApplicationScore

    cs = seed_set("skills_visa")
    apps = _pool(applicant, 6)
    rescore_pool(criteria_set=cs, states=("submitted",))
    before = {s.pk: (s.score, s.passes, s.scored_at) for s in ApplicationScore.objects.all()}
    updated_at = dict(Application.objects.values_list("pk", "updated_at"))
    stale = apps[2]
    ApplicationScore.objects.filter(pk=stale.pk).update(score=-1)

    stats = rescore_pool(criteria_set=cs, states=("submitted",))

    assert (stats.rows, stats.changed) == (6, 1)
    after = {s.pk: (s.score, s.passes, s.scored_at) for s in ApplicationScore.objects.all()}
    assert after[stale.pk][:2] == before[stale.pk][:2] and after[stale.pk][2] > before[stale.pk][2]
    assert {pk: v for pk, v in after.items() if pk != stale.pk} == {pk: v for pk, v in before.items() if pk != stale.pk}
    # Scores live in their own table: the wide application rows are not rewritten.
    assert dict(Application.objects.values_list("pk", "updated_at")) == updated_at


@pytest.mark.django_db
def test_rescore_pool_keeps_the_stamped_set_unless_asked_to_stamp(applicant):
    v1 = seed_set("skills_visa")
    apps = _pool(applicant, 4)
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(criteria_set=v1)
    v2 = _stricter_draft(v1)

    rescore_pool(criteria_set=v2, states=("submitted",))
    assert set(Application.objects.values_list("criteria_set", flat=True)) == {v1.pk}

    stats = rescore_pool(criteria_set=v2, states=("submitted",), stamp_set=True)
    assert stats.changed == 4  # same totals, new set: every row is restamped
    assert set(Application.objects.values_list("criteria_set", flat=True)) == {v2.pk}
    assert rescore_pool(criteria_set=v2, states=("submitted",), stamp_set=True).changed == 0
    assert rescore_pool(criteria_set=v2, states=("submitted",), only_stamped=True).rows == 4


def _kandas_answers(i: int, *, evidence: bool) -> dict:
    return {
        "personal": {"date_of_birth": f"{1970 + i}-03-01", "citizenship": "MN"},
        "track": {"track": "professional"},
        "ethnicity": {"evidence_kind": "birth_certificate"} if evidence else {},
        "profession": {"education_level": ["bachelor", "master"][i % 2], "years_experience": 3 + i},
        "languages": {"kazakh": "advanced"},
    }


def _ethnicity_document(app, status):
    from applications.models import Document

    Document.objects.create(
        application=app,
        kind=Document.Kind.ETHNICITY_EVIDENCE,
        original_name="proof.pdf",
        file=f"documents/test/{app.pk}-proof",
        size=1000,
        sha256=f"{app.pk:064d}",
        detected_type="application/pdf",
        status=status,
    )


@pytest.mark.django_db
def test_kandas_rescoring_reads_the_ethnicity_evidence_of_the_whole_pool_in_one_query(applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.models import ApplicationScore, Document

    cs = seed_set("kandas_card")
    kw = {"region_id": "KZ-55", "occupation_code": "2512"}

    def pool(n, start):
        apps = [submitted_application(applicant, "kandas_card", _kandas_answers(start + i, evidence=i % 4 != 3), **kw)
                for i in range(n)]  # fmt: skip
        for i, app in enumerate(apps):
            if i % 4 == 0:
                _ethnicity_document(app, Document.Status.READY)
            elif i % 4 == 1:
                _ethnicity_document(app, Document.Status.REJECTED)
        return apps

    apps = pool(4, 0)
    rescore_pool(criteria_set=cs, states=("submitted",))  # compiles and caches the evaluator
    ApplicationScore.objects.all().delete()
    with CaptureQueriesContext(connection) as small:
        rescore_pool(criteria_set=cs, states=("submitted",))
    apps += pool(12, 4)
    with CaptureQueriesContext(connection) as large:
        rescore_pool(criteria_set=cs, states=("submitted",))
    assert len(small.captured_queries) == len(large.captured_queries)
    assert sum("applications_document" in q["sql"] for q in large.captured_queries) == 1

    # The same results as scoring each application on its own (one document query each).
    ev = evaluator_for(cs)
    proofs = []
    for app in Application.objects.filter(pk__in=[a.pk for a in apps]).select_related("scoring"):
        facts = application_facts(app)
        total, status = ev.score(facts)
        assert (app.score, app.passes) == (total, {"pass": True, "fail": False}.get(status))
        proofs.append(facts["ethnic_kazakh_proof"])
    assert proofs.count(True) == 4 and proofs.count(False) == 12


@pytest.mark.django_db
def test_rescoring_in_two_processes_writes_the_same_scores(applicant, monkeypatch):
    from applications.models import ApplicationScore
    from applications.scoring import rescoring

    cs = seed_set("skills_visa")
    _pool(applicant, 25)
    rescore_pool(criteria_set=cs, states=("submitted",))
    one = dict(ApplicationScore.objects.values_list("pk", "score"))
    ApplicationScore.objects.all().delete()
    monkeypatch.setattr(rescoring, "PARALLEL_MIN_ROWS", 2)  # the real fork, on a small pool

    stats = rescore_pool(criteria_set=cs, states=("submitted",), workers=2)

    assert (stats.rows, stats.changed) == (25, 25)
    assert dict(ApplicationScore.objects.values_list("pk", "score")) == one


@pytest.mark.django_db
def test_impact_preview_and_rescore_preview_do_not_query_per_application(applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications.models import Document

    published = seed_set("kandas_card")
    draft = criteria_set_new_draft(criteria_set=published, actor=None)
    kw = {"region_id": "KZ-55", "occupation_code": "2512"}

    def add(n, start):
        for i in range(n):
            app = submitted_application(applicant, "kandas_card", _kandas_answers(start + i, evidence=True), **kw)
            _ethnicity_document(app, Document.Status.READY)

    def queries() -> tuple[int, int]:
        report = ImpactReport.objects.create(criteria_set=draft)
        with CaptureQueriesContext(connection) as impact:
            impact_compute_report(report.pk)
        apps = Application.objects.filter(product="kandas_card").select_related("scoring")
        with CaptureQueriesContext(connection) as preview:
            rows = rescore_preview(applications=apps, criteria_set=published)
        assert len(rows) == Application.objects.filter(product="kandas_card").count()
        return len(impact.captured_queries), len(preview.captured_queries)

    add(3, 0)
    queries()  # compiles and caches both evaluators
    small = queries()
    add(9, 3)
    assert queries() == small
