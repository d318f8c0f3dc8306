"""Rescore a whole pool of stored applications, set-based.

Django's ``bulk_update`` writes one CASE expression per row and manages only a few thousand
rows a second on PostgreSQL. Here the new totals are streamed with COPY into a temporary
table and written by one ``UPDATE … FROM``: the database does one join instead of parsing
100,000 CASE branches. The engine's fast path (``Evaluator.score``) computes totals and
status; the full per-factor breakdown is recomputed on demand when a case is opened.
Facts come from ``applications.facts`` (for the Kandas Card that includes one query per
application, for the ethnicity evidence document).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from applications.models import Application
from eligibility.models import CriteriaSet
from eligibility.services import application_facts, evaluator_for

PASSES = {"pass": True, "fail": False}
READ_BATCH = 5000
LOADED = ["id", "product", "answers", "region_id", "sector", "occupation_code", "track", "submitted_at"]


@dataclass
class RescoreStats:
    rows: int = 0
    changed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def rescore_pool(
    *,
    criteria_set: CriteriaSet,
    states: tuple[str, ...],
    year: int | None = None,
    stamp_set: bool = False,
    only_stamped: bool = False,
) -> RescoreStats:
    """Recompute score and pass/fail of every application of the set's product in ``states``.

    ``stamp_set`` also records the set on each application (rescoring under a new set);
    by default applications keep the set they were scored with at submission.
    ``only_stamped`` limits the pool to applications already stamped with this set."""
    stats = RescoreStats()
    evaluator = evaluator_for(criteria_set, year=year)
    score = evaluator.score
    table = Application._meta.db_table
    now = timezone.now()
    alias = connection.alias
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor, for COPY
        t_exec = time.perf_counter()
        columns = "id, answers, region_id, sector, occupation_code, track, submitted_at, score, passes, criteria_set_id"
        where = "product = %s AND state = ANY(%s)" + (" AND criteria_set_id = %s" if only_stamped else "")
        cur.execute(
            f"SELECT {columns} FROM {table} WHERE {where}",  # noqa: S608 - names from code, values bound
            [criteria_set.product, list(states), *([criteria_set.pk] if only_stamped else [])],
        )
        results: list[tuple[int, int, bool | None]] = []
        t_read = time.perf_counter() - t_exec
        t_score = 0.0
        while True:
            ta = time.perf_counter()
            batch = cur.fetchmany(READ_BATCH)
            tb = time.perf_counter()
            t_read += tb - ta
            if not batch:
                break
            for pk, answers, region, sector, occupation, track, submitted, old_score, old_passes, old_set in batch:
                # The row as an Application with only these fields loaded (Django's from_db,
                # as .only() does): facts come from the one translation, applications.facts.
                app = Application.from_db(
                    alias,
                    LOADED,
                    (
                        pk,
                        criteria_set.product,
                        json.loads(answers) if isinstance(answers, str) else answers,
                        region,
                        sector,
                        occupation,
                        track,
                        submitted or now,
                    ),
                )
                facts = application_facts(app)
                total, status = score(facts)
                new_total = int(total)
                new_passes = PASSES.get(status)
                stats.rows += 1
                # Only rows whose result changed are written: an UPDATE of this wide, heavily
                # indexed table costs far more than scoring, and most rescoring changes few rows.
                if new_total != old_score or new_passes != old_passes or (stamp_set and old_set != criteria_set.pk):
                    results.append((pk, new_total, new_passes))
            t_score += time.perf_counter() - tb
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
        stamp = ", criteria_set_id = %s" if stamp_set else ""
        params = [criteria_set.pk] if stamp_set else []
        if results:
            cur.execute(
                f"UPDATE {table} AS a SET score = t.score, passes = t.passes, scored_at = now(){stamp} "  # noqa: S608
                f"FROM rescore_tmp AS t WHERE a.id = t.id",
                params,
            )
        # Dropped now, not only at commit: an enclosing transaction may rescore again.
        cur.execute("DROP TABLE rescore_tmp")
        t3 = time.perf_counter()
        stats.seconds["copy"] = t2 - t1
        stats.seconds["update"] = t3 - t2
    stats.seconds["commit"] = time.perf_counter() - t3
    stats.seconds["setup"] = max(0.0, (t1 - t0) - t_read - t_score)
    # JSON decoding of the answers happens while scoring (see _facts).
    return stats
