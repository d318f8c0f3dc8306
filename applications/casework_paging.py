"""Paging of the queue page without counting every match.

An exact COUNT(*) over 100,000 open cases is a full scan, and even a count capped at 1,000
matches scans thousands of rows when the filters are not selective for the chosen order. The
page instead reads one more id than it shows (OFFSET / LIMIT per_page + 1 on the ordered,
filtered cases: an index scan that stops early). When that extra id is absent the count is
exact (everything up to this page plus what it shows); when it is there, the total comes from
PostgreSQL's planner estimate (EXPLAIN, no execution) and the page says "about". Pages stop
at CASEWORK_COUNT_CAP matches: the worklist is worked from the top (claim next takes it).
"""

import json
import math
from collections.abc import Callable

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet


class QueuePaginator(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, rows: Callable[[list[int]], list]) -> None:
        super().__init__(object_list, per_page)
        self.rows = rows
        self.is_estimate = False
        self.max_pages = max(1, settings.CASEWORK_COUNT_CAP // per_page)

    def get_page(self, number) -> Page:
        try:
            number = min(max(int(number), 1), self.max_pages)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page + 1])
        if not ids and number > 1:
            return self.get_page(1)  # past the end (the list shrank, or a hand-typed page number)
        # On PostgreSQL the estimate is asked for every page, so the page runs the same
        # queries whatever the size of the result (tests/applications/casework/test_query_counts.py).
        estimate = self._estimate() if connection.vendor == "postgresql" else None
        if len(ids) > self.per_page:
            self.is_estimate = True
            count = max(estimate if estimate is not None else self._estimate(), bottom + self.per_page + 1)
        else:
            count = bottom + len(ids)
        self.__dict__["count"] = count  # Paginator.count is a cached_property
        return Page(self.rows(ids[: self.per_page]), number, self)

    @property
    def num_pages(self) -> int:
        return min(max(1, math.ceil(self.count / self.per_page)), self.max_pages)

    def _estimate(self) -> int:
        """The planner's estimate of the matches, rounded to two significant figures."""
        queryset = self.object_list.order_by()
        if connection.vendor == "postgresql":
            plan = json.loads(queryset.explain(format="json"))
            rows = int(plan[0]["Plan"]["Plan Rows"])
        else:  # SQLite (`make run`) has no row estimate: a capped count instead
            rows = queryset.values("pk")[: settings.CASEWORK_COUNT_CAP + 1].count()
        if rows >= 100:
            magnitude = 10 ** (len(str(rows)) - 2)
            rows = round(rows / magnitude) * magnitude
        return rows
