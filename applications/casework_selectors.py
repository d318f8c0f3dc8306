"""Reads for the caseworker workbench: a fixed number of queries whatever the data size."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from applications.models import Application, AuditEvent, CaseNote, Decision, Document, RequestForInformation
from applications.queues import cases_in_queues
from portal import roles
from portal.models import User


def queue_cases(user: Any) -> QuerySet[Application]:
    """The cases of the user's queues, with what the queue table shows, in one query."""
    now = timezone.now()
    open_replied = RequestForInformation.objects.filter(
        application=OuterRef("pk"), replied_at__isnull=False, acknowledged_at__isnull=True
    )
    overdue_rfi = RequestForInformation.objects.filter(
        application=OuterRef("pk"), replied_at__isnull=True, deadline__lt=now
    )
    return (
        cases_in_queues(user)
        .select_related("region", "claimed_by", "scoring")
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
        .annotate(has_reply=Exists(open_replied), rfi_overdue=Exists(overdue_rfi))
    )


def caseworkers_for(user: Any) -> QuerySet[User]:
    """People a senior may hand cases to: caseworkers and seniors of the senior's queues."""
    from applications.queues import queues_of

    queue_ids = [q.pk for q in queues_of(user)]
    return (
        User.objects.filter(
            Q(casework_queues__in=queue_ids) | Q(senior_queues__in=queue_ids),
            groups__name__in=roles.CASEWORK_ROLES,
        )
        .distinct()
        .order_by("email")
    )


def case_detail(application: Application, user: Any) -> dict:
    """Everything the case page shows, each list in one query."""
    documents = list(application.documents.order_by("kind", "created_at"))
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
    related_condition = Q(owner__email=application.owner.email)
    if application.passport_number:
        related_condition |= Q(passport_number=application.passport_number)
    related = list(
        cases_in_queues(user)
        .filter(related_condition)
        .exclude(pk=application.pk)
        .only("pk", "reference", "product", "state", "applicant_name")
        .order_by("-submitted_at")[:20]
    )
    pending = next((d for d in decisions if d.outcome == Decision.Outcome.PENDING), None)
    return {
        "documents": documents,
        "history": history,
        "notes": notes,
        "rfis": rfis,
        "decisions": decisions,
        "pending_decision": pending,
        "related": related,
    }


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
