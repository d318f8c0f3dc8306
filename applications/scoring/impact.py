"""Impact preview: how a draft criteria set would change the current pool of applications.

The admin starts it (``applications.scoring.tasks.impact_request``); a Celery task scores
the pool in chunks, writing its progress to the ``ImpactReport`` row so the admin page can
show how far it got. Nothing on the applications is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from applications.facts import facts_of_many
from applications.models import Application
from applications.states import UNDECIDED_STATES
from eligibility.engine.result import FAIL, NEEDS_MORE_INFORMATION, PASS
from eligibility.models import ImpactReport
from eligibility.services import evaluator_for, published_set

CHUNK = 1000
HISTOGRAM_BIN = 10
MAX_FLIPS_LISTED = 200
# The engine's three outcomes, in the order the report lists them.
OUTCOMES = (PASS, FAIL, NEEDS_MORE_INFORMATION)


def _bin(total: float) -> int:
    return int(total // HISTOGRAM_BIN) * HISTOGRAM_BIN


# Every field the facts read (a deferred one would cost a query per application).
POOL_FIELDS = (
    "product",
    "submitted_at",
    "reference",
    "answers",
    "region_id",
    "sector",
    "occupation_code",
    "track",
    "scoring__score",
    "scoring__passes",
)


def undecided_pool(product: str) -> QuerySet[Application]:
    """The pool an impact preview (and a forecast scenario) scores: a product's undecided cases."""
    return Application.objects.filter(product=product, state__in=UNDECIDED_STATES).order_by("pk")


def pool_chunks(pool: QuerySet[Application]) -> Iterator[list[tuple[Application, dict[str, Any]]]]:
    """The pool in primary-key chunks of ``CHUNK``, each application with its facts."""
    last_pk = 0
    while True:
        chunk = list(pool.filter(pk__gt=last_pk).select_related("scoring").only(*POOL_FIELDS)[:CHUNK])
        if not chunk:
            return
        yield list(zip(chunk, facts_of_many(chunk), strict=True))
        last_pk = chunk[-1].pk


def impact_compute_report(report_id: int) -> ImpactReport:
    """Score the pool under the draft and under what it has now; idempotent (recomputes)."""
    with transaction.atomic():
        report = ImpactReport.objects.select_for_update().get(pk=report_id)
        if report.status == ImpactReport.Status.DONE:
            return report
        report.status = ImpactReport.Status.RUNNING
        report.save(update_fields=["status"])
    draft = report.criteria_set
    current_set = published_set(draft.product)
    pool = undecided_pool(draft.product)
    total_count = pool.count()
    ImpactReport.objects.filter(pk=report_id).update(total=total_count, done=0)
    new_ev = evaluator_for(draft)
    cur_ev = evaluator_for(current_set) if current_set is not None else None

    passing_now = passing_draft = 0
    outcomes_now: Counter[str] = Counter()
    outcomes_draft: Counter[str] = Counter()
    hist_now: Counter[int] = Counter()
    hist_draft: Counter[int] = Counter()
    sectors: dict[str, dict[str, int]] = {}
    flips: list[dict[str, Any]] = []
    flip_counts: Counter[str] = Counter()
    done = 0
    for chunk in pool_chunks(pool):
        for app, facts in chunk:
            new_total, new_status = new_ev.score(facts)
            if cur_ev is not None:
                old_total, old_status = cur_ev.score(facts)
            else:
                old_total = app.score or 0
                old_status = NEEDS_MORE_INFORMATION if app.passes is None else (PASS if app.passes else FAIL)
            passing_now += old_status == PASS
            passing_draft += new_status == PASS
            outcomes_now[old_status] += 1
            outcomes_draft[new_status] += 1
            hist_now[_bin(old_total)] += 1
            hist_draft[_bin(new_total)] += 1
            s = sectors.setdefault(app.sector or "-", {"count": 0, "passing_now": 0, "passing_draft": 0})
            s["count"] += 1
            s["passing_now"] += old_status == PASS
            s["passing_draft"] += new_status == PASS
            if old_status != new_status:
                flip_counts[f"{old_status}->{new_status}"] += 1
                if len(flips) < MAX_FLIPS_LISTED:
                    flips.append(
                        {
                            "application": app.pk,
                            "reference": app.reference,
                            "old_total": old_total,
                            "old_status": old_status,
                            "new_total": new_total,
                            "new_status": new_status,
                        }
                    )
        done += len(chunk)
        ImpactReport.objects.filter(pk=report_id).update(done=done)

    bins = sorted(set(hist_now) | set(hist_draft))
    result = {
        "pool": total_count,
        "compared_with": str(current_set) if current_set else None,
        "passing_now": passing_now,
        "passing_draft": passing_draft,
        # How many pass, fail and need more information, now and under the draft.
        "outcomes": [{"status": o, "now": outcomes_now[o], "draft": outcomes_draft[o]} for o in OUTCOMES],
        "flip_counts": dict(flip_counts),
        "flips": flips,
        "histogram": [{"from": b, "to": b + HISTOGRAM_BIN, "now": hist_now[b], "draft": hist_draft[b]} for b in bins],
        "by_sector": sectors,
    }
    ImpactReport.objects.filter(pk=report_id).update(
        status=ImpactReport.Status.DONE, done=done, result=result, finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report
