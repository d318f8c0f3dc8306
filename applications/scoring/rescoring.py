"""Rescore a whole pool of stored applications, set-based.

Scores live in ``applications_applicationscore``, a narrow 1:1 table (application id, score,
passes, scored_at; indexed on score for the queues): rewriting 100,000 of those rows takes a
fraction of a second, where rewriting the wide, heavily indexed application rows took
seconds (docs/benchmarks.md, "Scoring").

One SELECT reads plain values (no model instances); the facts come from
``applications.facts.facts_from_values``, the same translation single applications use, and
the Kandas Card's "is there an ethnicity document?" is answered for the whole pool by one
query, as are the scarce-profession categories behind the queue priority. The engine's fast
path (``Evaluator.score``) computes totals and status; the full per-factor breakdown is
recomputed when one application is scored. Rows whose score, pass/fail, priority (or, when
stamping, set) changed go to ``applications.scoring.writer.scores_write``, the writer single
scoring uses too (COPY + ``INSERT … ON CONFLICT`` on PostgreSQL, plain statements on SQLite).
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from applications.casework.queues import queue_priority, scarce_categories
from applications.employers.selectors import offer_outcomes
from applications.facts import evidence_filter, facts_from_values
from applications.models import Application, ApplicationScore, Document
from applications.products import get_product
from applications.scoring.writer import NewScore, scores_write
from applications.states import State
from eligibility.engine.result import PASSES
from eligibility.models import CriteriaSet
from eligibility.services import evaluator_for

# Below this, forking costs more than it saves.
PARALLEL_MIN_ROWS = 20_000

# The columns of a pool row, in this order (``_Changed`` unpacks them).
_COLUMNS = (
    "id",
    "answers",
    "region_id",
    "sector",
    "occupation_code",
    "track",
    "submitted_at",
    "score",
    "passes",
    "criteria_set_id",
    "priority",
    "state",
)


@dataclass
class RescoreStats:
    rows: int = 0
    changed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _never() -> bool:
    return False


def _always() -> bool:
    return True


@dataclass
class _Changed:
    """Scores plain rows and keeps those whose result, priority (or stamped set) changed."""

    product: str
    score: Callable[[dict[str, Any]], tuple[Any, str]]
    with_proof: set[int]
    # The named employers' answers (the fact "offer confirmed by employer"), by application.
    offers: dict[int, bool | None]
    categories: dict[str, int]
    today: date
    set_pk: int | None  # the set being stamped, if any

    def __call__(self, rows: Sequence[tuple]) -> list[NewScore]:
        product, score, with_proof, today, set_pk = self.product, self.score, self.with_proof, self.today, self.set_pk
        categories = self.categories
        loads = json.loads
        out: list[NewScore] = []
        for row in rows:
            (
                pk,
                answers,
                region,
                sector,
                occupation,
                track,
                submitted,
                old_score,
                old_passes,
                old_set,
                old_prio,
                state,
            ) = row
            facts = facts_from_values(
                product=product,
                answers=(loads(answers) if isinstance(answers, str) else answers) or {},
                occupation_code=occupation,
                region_id=region,
                sector=sector,
                track=track,
                on=submitted.date() if submitted else today,
                has_evidence=_always if pk in with_proof else _never,
                offer_confirmed=self.offers.get(pk, False),
            )
            total, status = score(facts)
            new_total = int(total)
            new_passes = PASSES.get(status)
            # Only cases in a queue (past the draft) carry a priority.
            new_prio = queue_priority(new_total, categories.get(occupation)) if state != State.DRAFT else None
            if (
                new_total != old_score
                or new_passes != old_passes
                or (new_prio is not None and new_prio != old_prio)
                or (set_pk is not None and old_set != set_pk)
            ):
                out.append(NewScore(pk, new_total, new_passes, new_prio))
        return out


def _child(changed: _Changed, rows: Sequence[tuple], send: Connection) -> None:
    send.send(changed(rows))
    send.close()


def _in_processes(changed: _Changed, rows: list[tuple], workers: int) -> list[NewScore]:
    """Score ``rows`` split over ``workers`` processes: forked children inherit the rows and the
    compiled evaluator (nothing is pickled on the way in) and touch no database connection;
    only the changed results come back. The parent scores the first part itself."""
    ctx = multiprocessing.get_context("fork")
    size = -(-len(rows) // workers)
    children = []
    for lo in range(size, len(rows), size):
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(changed, rows[lo : lo + size], send), daemon=True)
        proc.start()
        send.close()
        children.append((proc, recv))
    results = changed(rows[:size])
    for proc, recv in children:
        results += recv.recv()
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"rescoring worker exited with {proc.exitcode}")
    return results


def _pool_rows(criteria_set: CriteriaSet, states: Collection[str], *, only_stamped: bool) -> list[tuple]:
    """The pool as plain tuples (``_COLUMNS``). On PostgreSQL one raw SELECT (the ORM's
    per-row converters cost a noticeable share of a 100,000-row rescore); elsewhere the ORM,
    whose converters give the same Python values (SQLite returns dates as text)."""
    if connection.vendor != "postgresql":
        pool = Application.objects.filter(product=criteria_set.product, state__in=states)
        if only_stamped:
            pool = pool.filter(criteria_set=criteria_set)
        fields = [*_COLUMNS[:7], "scoring__score", "scoring__passes", *_COLUMNS[9:]]
        return list(pool.values_list(*fields))
    table = Application._meta.db_table
    scores_table = ApplicationScore._meta.db_table
    where = "a.product = %s AND a.state = ANY(%s)" + (" AND a.criteria_set_id = %s" if only_stamped else "")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT a.id, a.answers, a.region_id, a.sector, a.occupation_code, a.track, a.submitted_at,"  # noqa: S608 - names from code, values bound
            f" s.score, s.passes, a.criteria_set_id, a.priority, a.state FROM {table} AS a"
            f" LEFT JOIN {scores_table} AS s ON s.application_id = a.id WHERE {where}",  # nosec B608
            [criteria_set.product, list(states), *([criteria_set.pk] if only_stamped else [])],
        )
        return cur.fetchall()


def rescore_pool(
    *,
    criteria_set: CriteriaSet,
    states: Collection[str],
    year: int | None = None,
    stamp_set: bool = False,
    only_stamped: bool = False,
    workers: int = 1,
    actor: Any = None,
    set_based: bool | None = None,
) -> RescoreStats:
    """Recompute score, pass/fail and queue priority of every application of the set's product
    in ``states``.

    ``stamp_set`` also records the set on each application (rescoring under a new set);
    by default applications keep the set they were scored with at submission.
    ``only_stamped`` limits the pool to applications already stamped with this set.
    Only applications whose result, priority (or, with ``stamp_set``, set) changed are written,
    by ``scores_write`` (``set_based`` is passed on), which also audits the run as ``actor``.
    ``workers`` > 1 scores in that many forked processes (batch jobs and the benchmark; a web
    request keeps the default, one process)."""
    stats = RescoreStats()
    evaluator = evaluator_for(criteria_set, year=year)
    product = criteria_set.product
    t0 = time.perf_counter()
    with transaction.atomic():
        pool = Application.objects.filter(product=product, state__in=states)
        if only_stamped:
            pool = pool.filter(criteria_set=criteria_set)
        # The product's evidence (if its facts read one) for the whole pool in one query.
        with_proof: set[int] = set()
        kind = get_product(product).evidence_kind
        if kind:
            docs = evidence_filter(Document.objects.filter(application__in=pool.values("pk")), kind)
            with_proof = set(docs.values_list("application_id", flat=True))
        offers = offer_outcomes(pool.values("pk"))
        categories = scarce_categories(pool.exclude(occupation_code="").values_list("occupation_code", flat=True))
        t_exec = time.perf_counter()
        rows = _pool_rows(criteria_set, states, only_stamped=only_stamped)
        t_read = time.perf_counter() - t_exec
        stats.rows = len(rows)
        ts = time.perf_counter()
        changed = _Changed(
            product=product,
            score=evaluator.score,
            with_proof=with_proof,
            offers=offers,
            categories=categories,
            today=timezone.now().date(),
            set_pk=criteria_set.pk if stamp_set else None,
        )
        if workers > 1 and len(rows) >= PARALLEL_MIN_ROWS:
            results = _in_processes(changed, rows, workers)
        else:
            results = changed(rows)
        del rows
        t_score = time.perf_counter() - ts
        stats.changed = len(results)
        stats.seconds["read"] = t_read
        stats.seconds["score"] = t_score
        t1 = time.perf_counter()
        scores_write(
            scores=results,
            criteria_set=criteria_set,
            stamp_set=stamp_set,
            actor=actor,
            reason=f"rescored {stats.rows} applications, {stats.changed} changed",
            set_based=set_based,
        )
        t2 = time.perf_counter()
        stats.seconds["write"] = t2 - t1
    stats.seconds["commit"] = time.perf_counter() - t2
    stats.seconds["setup"] = max(0.0, (t1 - t0) - t_read - t_score)
    return stats
