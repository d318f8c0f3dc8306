"""Reads of the document pipeline."""

from __future__ import annotations

from django.db.models import QuerySet

from applications.models import Application, Document


def documents_for_application(application: Application) -> QuerySet[Document]:
    """The application's documents, oldest first (one query, whatever their number)."""
    return Document.objects.filter(application=application).order_by("created_at", "pk")
