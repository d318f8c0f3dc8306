"""Reads for the caseworker workbench: a fixed number of queries whatever the data size."""

import json
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.utils import timezone

from applications.casework.queues import cases_in_queues, queue_workers, queues_of
from applications.models import (
    Application,
    ApplicationScore,
    CaseNote,
    Decision,
    Document,
    RequestForInformation,
)
from portal.audit.models import AuditEvent
from portal.models import User


def queue_cases(user: Any) -> QuerySet[Application]:
    """The cases of the user's queues, with what the queue table shows, in one query."""
    return with_queue_columns(cases_in_queues(user))


class QueueRow(SimpleNamespace):
    """One row of the queue table: plain values, no model instance (50 per page, read-only)."""


def queue_rows(ids: list[int]) -> list[QueueRow]:
    """The queue table's rows for ``ids`` (already filtered to the user's queues), in that order.

    The queue page finds a page's ids with a lean query on the filters, then reads the rows
    by primary key: the filters are neither compiled nor run twice. Plain values rather than
    model instances (the table only displays them); region names come from the cached
    reference data, not a join.
    """
    if not ids:
        return []
    rows = (
        Application.objects.filter(pk__in=ids)
        .annotate(**rfi_flags(ids))
        .order_by()
        .values(
            *(name for name in QUEUE_ROW_FIELDS if name != "score"),
            score=F("scoring__score"),
            claimed_email=F("claimed_by__email"),
            claimed_name=F("claimed_by__full_name"),
        )
    )
    by_id = {row["pk"]: QueueRow(**row) for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def queue_page(matches: QuerySet, offset: int, limit: int) -> tuple[list[QueueRow], int | None]:
    """Rows ``offset`` to ``offset + limit`` of the ordered ``matches`` for the queue table, and
    the planner's estimate of all matches, in one round trip.

    On PostgreSQL one execute sends two statements (psycopg's client-side binding allows it):
    EXPLAIN of the ordered ids query (planned, not run: its top node estimates every match),
    and the page's rows read by primary key in the ids' order (the same query with LIMIT /
    OFFSET, an index scan that stops early; ARRAY() keeps its order, WITH ORDINALITY numbers
    it). Each RFI flag is an EXISTS per row on rfi_app_replied_idx; Django compiles the
    filters once. Elsewhere (SQLite for `make run`): the page's ids with the number of all
    matches (a window count, evaluated before LIMIT) in one query, then ``queue_rows``: the
    same number of queries for a short queue and a long one.
    """
    ids = matches.values_list("pk", flat=True)
    if connection.vendor != "postgresql":
        page = list(
            matches.annotate(matches_total=Window(Count("pk"))).values_list("pk", "matches_total")[
                offset : offset + limit
            ]
        )
        return queue_rows([pk for pk, _total in page]), (page[0][1] if page else None)
    try:
        ids_sql, ids_params = ids.query.sql_with_params()
    except EmptyResultSet:
        # A caseworker who works no queue (``cases_in_queues`` is ``none()``): nothing to plan.
        return [], 0
    app, rfi, user = Application._meta.db_table, RequestForInformation._meta.db_table, User._meta.db_table
    score = ApplicationScore._meta.db_table
    rows_sql = f"""
        SELECT a.id, a.reference, a.applicant_name, a.product, a.state, a.region_id, a.sector, s.score,
               a.priority, a.submitted_at, a.sla_due_at, a.claimed_by_id,
               EXISTS (SELECT 1 FROM {rfi} r WHERE r.application_id = a.id
                       AND r.replied_at IS NOT NULL AND r.acknowledged_at IS NULL),
               EXISTS (SELECT 1 FROM {rfi} r WHERE r.application_id = a.id
                       AND r.replied_at IS NULL AND r.deadline < %s),
               u.email, u.full_name
        FROM unnest(ARRAY({ids_sql} LIMIT %s OFFSET %s)) WITH ORDINALITY AS page(id, position)
        JOIN {app} a ON a.id = page.id
        LEFT JOIN {score} s ON s.application_id = a.id
        LEFT JOIN {user} u ON u.id = a.claimed_by_id
        ORDER BY page.position"""  # noqa: S608 - table names from the models, Django-compiled SQL, values bound  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) {ids_sql}; {rows_sql}",
            [*ids_params, timezone.now(), *ids_params, limit, offset],
        )
        plan = cursor.fetchone()[0]
        cursor.nextset()
        rows = cursor.fetchall()
    if isinstance(plan, str):
        plan = json.loads(plan)
    names = (*QUEUE_ROW_FIELDS, "claimed_email", "claimed_name")
    return [QueueRow(**dict(zip(names, row, strict=True))) for row in rows], int(plan[0]["Plan"]["Plan Rows"])


QUEUE_ROW_FIELDS = (
    "pk",
    "reference",
    "applicant_name",
    "product",
    "state",
    "region_id",
    "sector",
    "score",
    "priority",
    "submitted_at",
    "sla_due_at",
    "claimed_by_id",
    "has_reply",
    "rfi_overdue",
)


def with_queue_columns(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """The columns of the queue table: region and claimant joined, reply / overdue RFI flags."""
    return (
        queryset.select_related("region", "claimed_by", "scoring")
        .only(
            "pk",
            "reference",
            "applicant_name",
            "product",
            "state",
            "region__code",
            "region__name_en",
            "region__name_ru",
            "region__name_kk",
            "sector",
            "scoring__score",
            "priority",
            "submitted_at",
            "sla_due_at",
            "claimed_by__email",
            "claimed_by__full_name",
            "owner_id",
        )
        .annotate(**rfi_flags())
    )


def rfi_flags(ids: list[int] | None = None) -> dict[str, Exists]:
    """has_reply: a reply not yet acknowledged; rfi_overdue: a request past its deadline.

    With ``ids`` (the rows being read), the subqueries are narrowed to those cases: PostgreSQL
    runs each EXISTS once as a hashed subplan, and the narrowing turns its scan of every
    request for information into an index lookup of the page's ones.
    """
    rfis = RequestForInformation.objects.filter(application=OuterRef("pk"))
    if ids is not None:
        rfis = rfis.filter(application_id__in=ids)
    return {
        "has_reply": Exists(rfis.filter(replied_at__isnull=False, acknowledged_at__isnull=True)),
        "rfi_overdue": Exists(rfis.filter(replied_at__isnull=True, deadline__lt=timezone.now())),
    }


def caseworkers_for(user: Any) -> QuerySet[User]:
    """People a senior may hand cases to: caseworkers and seniors of the senior's queues."""
    return queue_workers(q.pk for q in queues_of(user))


def case_detail(application: Application, user: Any) -> dict:
    """Everything the case page shows, each list in one query."""
    # Pages combined into one PDF are shown as that PDF (docs/documents.md, Pages).
    documents = list(application.documents.filter(combined_into__isnull=True).order_by("kind", "page", "created_at"))
    history = list(
        AuditEvent.objects.filter(application=application).select_related("actor").order_by("created_at", "id")
    )
    notes = list(CaseNote.objects.filter(application=application).select_related("author"))
    rfis = list(application.rfis.select_related("requested_by"))
    decisions = list(
        Decision.objects.filter(application=application)
        .select_related("recommended_by", "confirmed_by")
        .prefetch_related("grounds")
    )
    related = related_cases(application, user)
    pending = next((d for d in decisions if d.outcome == Decision.Outcome.PENDING), None)
    review = (
        application.reviews.select_related("reviewer", "refusal")
        .prefetch_related("documents")
        .order_by("-requested_at", "-id")
        .first()
    )
    return {
        "review": review,
        "documents": documents,
        "history": history,
        "notes": notes,
        "rfis": rfis,
        "decisions": decisions,
        "pending_decision": pending,
        "related": related,
    }


def related_cases(application: Application, user: Any, limit: int = 20) -> list[Application]:
    """Other cases of the same person in the user's queues: same account, or same passport.

    A union of two index lookups (owner_id: the foreign key's index; passport_number:
    app_passport_idx), not ``Q(owner__email=...) | Q(passport_number=...)``: that OR across a
    join made PostgreSQL scan the whole table (165 ms at 100k cases against 0.5 ms).
    The e-mail is unique per account, so owner_id says the same as owner.email.
    """
    visible = cases_in_queues(user).exclude(pk=application.pk)
    same_person = Application.objects.filter(owner_id=application.owner_id).order_by().values("pk")
    if application.passport_number:
        same_person = same_person.union(
            Application.objects.filter(passport_number=application.passport_number).order_by().values("pk")
        )
    return list(
        visible.filter(pk__in=same_person)
        .only("pk", "reference", "product", "state", "applicant_name")
        .order_by("-submitted_at")[:limit]
    )


def document_links(document: Document) -> tuple[str | None, str | None]:
    """(viewer URL, thumbnail URL) from the document pipeline's views, if they are installed."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    viewer = thumbnail = None
    for name in getattr(settings, "CASEWORK_DOCUMENT_URL_NAMES", ()):
        try:
            viewer = reverse(name, args=[document.pk])
            break
        except NoReverseMatch:
            continue
    if getattr(document, "thumbnail", None):
        try:
            thumbnail = reverse("documents:file", args=[document.pk, "thumbnail"])
        except NoReverseMatch:
            thumbnail = None
    return viewer, thumbnail
