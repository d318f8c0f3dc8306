"""Score one application (with its full breakdown) and preview a rescore without writing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from applications.casework.queues import queue_priority, scarce_category
from applications.facts import application_facts, facts_of_many
from applications.models import Application, ApplicationScore
from applications.scoring.writer import NewScore, scores_write
from applications.states import State
from eligibility.engine import CriteriaError, Evaluator, Issue
from eligibility.engine.result import PASSES
from eligibility.models import CriteriaSet
from eligibility.services import evaluator_for, published_set


@transaction.atomic
def application_score(
    *, application: Application, criteria_set: CriteriaSet | None = None, actor: Any = None
) -> dict[str, Any]:
    """Score an application against its stamped set (or the one given), keep the breakdown
    and write the result through ``scores_write`` (score row, priority, audit)."""
    cs = criteria_set or application.criteria_set or published_set(application.product)
    if cs is None:
        raise CriteriaError([Issue("criteria set", f"no published criteria for {application.product}")])
    result = evaluator_for(cs).evaluate(application_facts(application)).to_dict()
    application.criteria_set = cs
    application.score_detail = result
    application.save(update_fields=["criteria_set", "score_detail"])
    total, passes = int(result["total"]), PASSES.get(result["status"])
    # Only a case past the draft sits in a queue and so has a priority (issue 6).
    in_queue = application.state != State.DRAFT
    priority = queue_priority(total, scarce_category(application)) if in_queue else None
    scores_write(
        scores=[NewScore(application.pk, total, passes, priority)],
        criteria_set=cs,
        stamp_set=False,  # stamped above, with the breakdown
        actor=actor,
        reason="scored",
        application=application,
    )
    application.scoring = ApplicationScore.objects.get(pk=application.pk)
    if priority is not None:
        application.priority = priority
    return result


def rescore_preview(
    *, applications: Iterable[Application], criteria_set: CriteriaSet | None = None
) -> list[dict[str, Any]]:
    """Old vs new score for each application, without writing (on-demand rescoring view)."""
    out = []
    apps = list(applications)
    evaluators: dict[int, Evaluator] = {}  # evaluator_for checks its cache's freshness with queries
    for app, facts in zip(apps, facts_of_many(apps), strict=True):
        cs = criteria_set or app.criteria_set
        if cs is None:
            continue
        if cs.pk not in evaluators:
            evaluators[cs.pk] = evaluator_for(cs)
        total, status = evaluators[cs.pk].score(facts)
        old_status = {True: "pass", False: "fail"}.get(app.passes, "needs_more_information")  # type: ignore[arg-type]
        out.append(
            {
                "application": app.pk,
                "reference": app.reference,
                "old_total": app.score,
                "old_status": old_status if app.score is not None else None,
                "new_total": total,
                "new_status": status,
                "changed": app.score != total or old_status != status,
            }
        )
    return out
