"""Cursor pagination: stable pages over large, growing lists (no OFFSET scans, no COUNT)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
