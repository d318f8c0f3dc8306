"""The one writer of applications' scores: single scoring and pool rescoring both end here.

A score has side effects that must not differ between the two paths (issue 15: the bulk
rescore used to leave 7 of 12 cases with a stale queue priority): the narrow score row
(``ApplicationScore``), the criteria set stamped on the application when asked, the queue
priority of submitted cases (``applications.casework.queues.queue_priority``, computed by the caller
for each row) and one audit event per write.

On PostgreSQL a large write is set-based: the rows are streamed with COPY into a temporary
table and applied by one ``INSERT … ON CONFLICT DO UPDATE`` and two ``UPDATE … FROM``
(docs/benchmarks.md, "Scoring": Django's ``bulk_update`` writes one CASE branch per row and
manages only a few thousand rows a second). Elsewhere (SQLite, the embedded default) and for
small writes the plain path uses ``bulk_create(update_conflicts=True)`` and one UPDATE per
priority value, which gives the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from applications.models import Application, ApplicationScore
from eligibility.models import CriteriaSet
from portal.audit.record import audit_record

# Below this many rows, the temporary table costs more than the plain statements.
SET_BASED_MIN_ROWS = 200
# SQLite's default limit on bound parameters is 32,766; stay well under it.
_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class NewScore:
    """One application's new result. ``priority`` is None for a case not (yet) in a queue."""

    application_id: int
    score: int
    passes: bool | None
    priority: int | None


def scores_write(
    *,
    scores: Sequence[NewScore],
    criteria_set: CriteriaSet,
    stamp_set: bool,
    actor: Any,
    reason: str,
    set_based: bool | None = None,
    application: Application | None = None,
) -> None:
    """Write the score rows, the stamped set (with ``stamp_set``) and the queue priorities of
    ``scores``, and audit the write, in one transaction.

    ``set_based`` picks the PostgreSQL COPY path (True) or the plain one (False); by default
    the COPY path on PostgreSQL for large writes. Both write the same rows. ``application``
    names the one application a single scoring is about, for its audit trail."""
    if set_based is None:
        set_based = connection.vendor == "postgresql" and len(scores) >= SET_BASED_MIN_ROWS
    if set_based and connection.vendor != "postgresql":
        raise ValueError("the set-based score writer needs PostgreSQL")
    with transaction.atomic():
        if scores:
            (_write_copy if set_based else _write_plain)(scores, criteria_set if stamp_set else None)
        only = application is not None and len(scores) == 1
        audit_record(
            actor=actor,
            action="application.score" if only else "applications.rescore",
            obj=criteria_set,
            application=application,
            reason=reason,
            snapshot={
                "criteria_set": criteria_set.pk,
                "applications": len(scores),
                "stamped": stamp_set,
                **({"score": scores[0].score, "passes": scores[0].passes} if only else {}),
            },
        )


def _write_plain(scores: Sequence[NewScore], stamp: CriteriaSet | None) -> None:
    now = timezone.now()
    ApplicationScore.objects.bulk_create(
        [
            ApplicationScore(application_id=r.application_id, score=r.score, passes=r.passes, scored_at=now)
            for r in scores
        ],
        update_conflicts=True,
        unique_fields=["application"],
        update_fields=["score", "passes", "scored_at"],
        batch_size=500,
    )
    by_priority: dict[int, list[int]] = defaultdict(list)
    for row in scores:
        if row.priority is not None:
            by_priority[row.priority].append(row.application_id)
    ids = [row.application_id for row in scores]
    for lo in range(0, len(ids), _CHUNK):
        chunk = ids[lo : lo + _CHUNK]
        members = set(chunk)
        changes: dict[str, Any] = {}
        if stamp is not None:
            changes["criteria_set"] = stamp
        in_chunk = {p: [pk for pk in pks if pk in members] for p, pks in by_priority.items()}
        whens = [When(pk__in=pks, then=Value(p)) for p, pks in sorted(in_chunk.items()) if pks]
        if whens:
            # One statement whatever the mix of priorities (a case without one keeps its own).
            changes["priority"] = Case(
                *whens, default=F("priority"), output_field=Application._meta.get_field("priority")
            )
        if changes:
            Application.objects.filter(pk__in=chunk).update(**changes)


def _write_copy(scores: Sequence[NewScore], stamp: CriteriaSet | None) -> None:
    table = Application._meta.db_table
    scores_table = ApplicationScore._meta.db_table
    with connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor, for COPY
        # No index on the temporary table: PostgreSQL hash-joins 100,000 rows faster than it
        # would maintain a primary key while copying them.
        cur.execute(
            "CREATE TEMP TABLE rescore_tmp (id bigint, score integer, passes boolean, priority smallint) ON COMMIT DROP"
        )
        with cur.copy("COPY rescore_tmp (id, score, passes, priority) FROM STDIN") as copy:
            for s in scores:
                copy.write_row((s.application_id, s.score, s.passes, s.priority))
        # Applications never scored get their row; the others have it rewritten.
        cur.execute(
            f"INSERT INTO {scores_table} AS s (application_id, score, passes, scored_at)"  # noqa: S608
            " SELECT id, score, passes, statement_timestamp() FROM rescore_tmp"
            " ON CONFLICT (application_id) DO UPDATE"
            " SET score = EXCLUDED.score, passes = EXCLUDED.passes, scored_at = EXCLUDED.scored_at"  # nosec B608
        )
        # The wide application row is rewritten only where the priority or the set really changes.
        cur.execute(
            f"UPDATE {table} AS a SET priority = t.priority FROM rescore_tmp AS t"  # noqa: S608
            " WHERE a.id = t.id AND t.priority IS NOT NULL AND a.priority IS DISTINCT FROM t.priority"  # nosec B608
        )
        if stamp is not None:
            cur.execute(
                f"UPDATE {table} AS a SET criteria_set_id = %s FROM rescore_tmp AS t"  # noqa: S608
                " WHERE a.id = t.id AND a.criteria_set_id IS DISTINCT FROM %s",  # nosec B608
                [stamp.pk, stamp.pk],
            )
        # Dropped now, not only at commit: an enclosing transaction may rescore again.
        cur.execute("DROP TABLE rescore_tmp")
