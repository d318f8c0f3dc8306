"""Paging of the queue page without counting every match.

An exact COUNT(*) over 100,000 open cases is a full scan, and even a count capped at 1,000
matches scans thousands of rows when the filters are not selective for the chosen order. The
page instead reads one more id than it shows (OFFSET / LIMIT per_page + 1 on the ordered,
filtered cases: an index scan that stops early). When that extra id is absent the count is
exact (everything up to this page plus what it shows); when it is there, the total comes from
PostgreSQL's planner estimate (EXPLAIN, no execution) and the page says "about". Pages stop
at CASEWORK_COUNT_CAP matches: the worklist is worked from the top (claim next takes it).
The ids, the rows and the estimate travel in one round trip (casework/selectors.py queue_page).
"""

import math
from collections.abc import Callable

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class QueuePaginator(Paginator):
    """``page_reader(matches, offset, limit)`` returns those rows of the ordered matches and,
    where the database can tell, the planner's estimate of all of them
    (casework/selectors.py queue_page)."""

    def __init__(self, object_list: QuerySet, per_page: int, *, page_reader: Callable) -> None:
        super().__init__(object_list, per_page)
        self.page_reader = page_reader
        self.is_estimate = False
        self.max_pages = max(1, settings.CASEWORK_COUNT_CAP // per_page)

    def get_page(self, number) -> Page:
        try:
            number = min(max(int(number), 1), self.max_pages)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        # The estimate comes with every page (same queries whatever the size of the result:
        # tests/applications/casework/test_query_counts.py).
        rows, estimate = self.page_reader(self.object_list, bottom, self.per_page + 1)
        if not rows and number > 1:
            return self.get_page(1)  # past the end (the list shrank, or a hand-typed page number)
        if len(rows) > self.per_page:
            self.is_estimate = True
            if estimate is None:  # SQLite: a capped count
                estimate = self.object_list.order_by().values("pk")[: settings.CASEWORK_COUNT_CAP + 1].count()
            count = max(_two_figures(estimate), bottom + self.per_page + 1)
        else:
            count = bottom + len(rows)
        self.__dict__["count"] = count  # Paginator.count is a cached_property
        return Page(rows[: self.per_page], number, self)

    @property
    def num_pages(self) -> int:
        return min(max(1, math.ceil(self.count / self.per_page)), self.max_pages)


def _two_figures(rows: int) -> int:
    """An estimate rounded to two significant figures (51,234 -> 51,000): it is not a count."""
    if rows < 100:
        return rows
    magnitude = 10 ** (len(str(rows)) - 2)
    return round(rows / magnitude) * magnitude
