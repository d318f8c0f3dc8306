"""Admin change lists over tables that only grow (the audit trail): no full scans per page.

Django's change list counts every row twice (the filtered and the full count) and builds each
``list_filter`` of a plain field with ``SELECT DISTINCT`` over the whole table. At a million
audit rows that is four sequential scans per page (benchmarks/explain_pages.py). Here:

- ``EstimatedCountPaginator`` counts exactly up to ``EXACT_COUNT_BELOW`` rows and beyond that
  takes PostgreSQL's planner estimate (EXPLAIN, nothing executed), like the queue page
  (applications/casework/paging.py);
- ``IndexedValuesFilter`` lists a column's values with a recursive "skip scan" that reads one
  index entry per distinct value (PostgreSQL), instead of every row.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin.filters import AllValuesFieldListFilter
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_COUNT_BELOW = 10_000


def planner_estimate(queryset: QuerySet) -> int | None:
    """The planner's row estimate for ``queryset`` on PostgreSQL, or None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """An exact count for small results, the planner's estimate for large ones."""

    @cached_property
    def count(self) -> int:
        estimate = planner_estimate(self.object_list) if isinstance(self.object_list, QuerySet) else None
        if estimate is None or estimate < EXACT_COUNT_BELOW:
            return super().count
        return estimate


def indexed_values(queryset: QuerySet, field_name: str) -> list[Any] | None:
    """Every distinct value of an indexed column, one index probe per value (PostgreSQL).

    None where the shortcut does not apply (another database, or a queryset already narrowed,
    whose values must come from its own rows)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where:
        return None
    model = queryset.model
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    sql = (
        f"WITH RECURSIVE walk(value) AS ("  # noqa: S608  # nosec B608 - identifiers from the model, quoted
        f"  (SELECT {column} FROM {table} ORDER BY {column} LIMIT 1)"
        f"  UNION ALL"
        f"  SELECT (SELECT {column} FROM {table} WHERE {column} > walk.value ORDER BY {column} LIMIT 1)"
        f"  FROM walk WHERE walk.value IS NOT NULL"
        f") SELECT value FROM walk WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


class IndexedValuesFilter(AllValuesFieldListFilter):
    """``AllValuesFieldListFilter`` whose choices come from ``indexed_values`` where it applies.

    The column must lead an index, or the walk is a scan per value."""

    def __init__(self, field, request, params, model, model_admin, field_path) -> None:
        super().__init__(field, request, params, model, model_admin, field_path)
        values = indexed_values(model_admin.get_queryset(request), field_path)
        if values is not None:
            self.lookup_choices = values
