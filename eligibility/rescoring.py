"""Rescore a whole pool of stored applications, set-based.

Scores live in ``applications_applicationscore``, a narrow 1:1 table (application id, score,
passes, scored_at; indexed on score for the queues): rewriting 100,000 of those rows takes a
fraction of a second, where rewriting the wide, heavily indexed application rows took
seconds (docs/benchmarks.md, "Scoring").

One SELECT reads plain values (no model instances); the facts come from
``applications.facts.facts_from_values``, the same translation single applications use, and
the Kandas Card's "is there an ethnicity document?" is answered for the whole pool by one
query. The engine's fast path (``Evaluator.score``) computes totals and status; the full
per-factor breakdown is recomputed on demand when a case is opened. The new totals are
streamed with COPY into a temporary table and written by one ``INSERT … ON CONFLICT DO
UPDATE`` (Django's ``bulk_update`` writes one CASE branch per row and manages only a few
thousand rows a second).
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from applications.facts import ethnicity_evidence_filter, facts_from_values
from applications.models import Application, ApplicationScore, Document
from eligibility.engine.result import PASSES
from eligibility.models import CriteriaSet
from eligibility.products import Product
from eligibility.services import evaluator_for

# Below this, forking costs more than it saves.
PARALLEL_MIN_ROWS = 20_000


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


Result = tuple[int, int, bool | None]


@dataclass
class _Changed:
    """Scores plain rows and keeps those whose result (or stamped set) changed."""

    product: str
    score: Callable[[dict[str, Any]], tuple[Any, str]]
    with_proof: set[int]
    today: date
    set_pk: int | None  # the set being stamped, if any

    def __call__(self, rows: Sequence[tuple]) -> list[Result]:
        product, score, with_proof, today, set_pk = self.product, self.score, self.with_proof, self.today, self.set_pk
        loads = json.loads
        out: list[Result] = []
        for pk, answers, region, sector, occupation, track, submitted, old_score, old_passes, old_set in rows:
            facts = facts_from_values(
                product=product,
                answers=(loads(answers) if isinstance(answers, str) else answers) or {},
                occupation_code=occupation,
                region_id=region,
                sector=sector,
                track=track,
                on=submitted.date() if submitted else today,
                ethnicity_document=_always if pk in with_proof else _never,
            )
            total, status = score(facts)
            new_total = int(total)
            new_passes = PASSES.get(status)
            if new_total != old_score or new_passes != old_passes or (set_pk is not None and old_set != set_pk):
                out.append((pk, new_total, new_passes))
        return out


def _child(changed: _Changed, rows: Sequence[tuple], send: Connection) -> None:
    send.send(changed(rows))
    send.close()


def _in_processes(changed: _Changed, rows: list[tuple], workers: int) -> list[Result]:
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


def rescore_pool(
    *,
    criteria_set: CriteriaSet,
    states: tuple[str, ...],
    year: int | None = None,
    stamp_set: bool = False,
    only_stamped: bool = False,
    workers: int = 1,
) -> RescoreStats:
    """Recompute score and pass/fail of every application of the set's product in ``states``.

    ``stamp_set`` also records the set on each application (rescoring under a new set);
    by default applications keep the set they were scored with at submission.
    ``only_stamped`` limits the pool to applications already stamped with this set.
    Only applications whose result (or, with ``stamp_set``, set) changed are written.
    ``workers`` > 1 scores in that many forked processes (batch jobs and the benchmark; a web
    request keeps the default, one process)."""
    stats = RescoreStats()
    evaluator = evaluator_for(criteria_set, year=year)
    product = criteria_set.product
    table = Application._meta.db_table
    scores_table = ApplicationScore._meta.db_table
    today = timezone.now().date()
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor, for COPY
        pool = Application.objects.filter(product=product, state__in=states)
        if only_stamped:
            pool = pool.filter(criteria_set=criteria_set)
        # The ethnicity evidence of the whole pool in one query (only the Kandas Card asks).
        with_proof: set[int] = set()
        if product == Product.KANDAS_CARD:
            docs = ethnicity_evidence_filter(Document.objects.filter(application__in=pool.values("pk")))
            with_proof = set(docs.values_list("application_id", flat=True))
        t_exec = time.perf_counter()
        where = "a.product = %s AND a.state = ANY(%s)" + (" AND a.criteria_set_id = %s" if only_stamped else "")
        cur.execute(
            "SELECT a.id, a.answers, a.region_id, a.sector, a.occupation_code, a.track, a.submitted_at,"  # noqa: S608 - names from code, values bound
            f" s.score, s.passes, a.criteria_set_id FROM {table} AS a"
            f" LEFT JOIN {scores_table} AS s ON s.application_id = a.id WHERE {where}",  # nosec B608
            [product, list(states), *([criteria_set.pk] if only_stamped else [])],
        )
        rows = cur.fetchall()
        t_read = time.perf_counter() - t_exec
        stats.rows = len(rows)
        ts = time.perf_counter()
        changed = _Changed(
            product=product,
            score=evaluator.score,
            with_proof=with_proof,
            today=today,
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
        # No index on the temporary table: PostgreSQL hash-joins 100,000 rows faster than it
        # would maintain a primary key while copying them.
        cur.execute("CREATE TEMP TABLE rescore_tmp (id bigint, score integer, passes boolean) ON COMMIT DROP")
        with cur.copy("COPY rescore_tmp (id, score, passes) FROM STDIN") as copy:
            for row in results:
                copy.write_row(row)
        t2 = time.perf_counter()
        if results:
            # Applications never scored get their row; the others have it rewritten.
            cur.execute(
                f"INSERT INTO {scores_table} AS s (application_id, score, passes, scored_at)"  # noqa: S608
                " SELECT id, score, passes, statement_timestamp() FROM rescore_tmp"
                " ON CONFLICT (application_id) DO UPDATE"
                " SET score = EXCLUDED.score, passes = EXCLUDED.passes, scored_at = EXCLUDED.scored_at"  # nosec B608
            )
            if stamp_set:
                # The wide application row is rewritten only where the set really changes.
                cur.execute(
                    f"UPDATE {table} AS a SET criteria_set_id = %s FROM rescore_tmp AS t"  # noqa: S608
                    " WHERE a.id = t.id AND a.criteria_set_id IS DISTINCT FROM %s",  # nosec B608
                    [criteria_set.pk, criteria_set.pk],
                )
        # Dropped now, not only at commit: an enclosing transaction may rescore again.
        cur.execute("DROP TABLE rescore_tmp")
        t3 = time.perf_counter()
        stats.seconds["copy"] = t2 - t1
        stats.seconds["update"] = t3 - t2
    stats.seconds["commit"] = time.perf_counter() - t3
    stats.seconds["setup"] = max(0.0, (t1 - t0) - t_read - t_score)
    return stats
