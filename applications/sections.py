"""The task list: the sections of an application, their statuses and required documents.

Each product declares its sections (forms, order, dependencies) and documents in its module
under ``applications/products/``; these functions read the declaration. Plain data and plain
functions (no ORM writes): services save answers, selectors compute statuses.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _

from applications.products import (
    CANNOT_START,
    COMPLETED,
    DOCUMENTS,
    FAMILY,
    IN_PROGRESS,
    NOT_STARTED,
    PROGRESS_KEY,
    Section,
    get_product,
)

__all__ = [
    "CANNOT_START",
    "COMPLETED",
    "DOCUMENTS",
    "FAMILY",
    "IN_PROGRESS",
    "NOT_STARTED",
    "PROGRESS_KEY",
    "STATUS_LABELS",
    "STATUS_TAGS",
    "Section",
    "required_document_kinds",
    "section_named",
    "documents_by_section",
    "sections_for",
    "uploadable_document_kinds",
]

STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    COMPLETED: _("Completed"),
    CANNOT_START: _("Cannot start yet"),
}
STATUS_TAGS = {NOT_STARTED: "tag--grey", IN_PROGRESS: "tag--yellow", COMPLETED: "tag--green", CANNOT_START: "tag--grey"}


def sections_for(product: str, track: str = "") -> list[Section]:
    """The sections that apply to this product and track, in task-list order."""
    return get_product(product).sections_for(track)


def section_named(product: str, slug: str) -> Section | None:
    return get_product(product).section(slug)


def required_document_kinds(product: str, track: str, answers: dict) -> tuple[str, ...]:
    """Kinds of document the application must have before it can be submitted."""
    return get_product(product).required_documents(track, answers)


def uploadable_document_kinds(product: str, track: str, answers: dict) -> tuple[str, ...]:
    declared = get_product(product)
    return (*declared.required_documents(track, answers), *declared.optional_documents)


D = TypeVar("D")


def documents_by_section(product: str, track: str, documents: Iterable[D]) -> tuple[dict[str, list[D]], list[D]]:
    """Documents grouped under the section whose answers they support, as the product declares
    (``Section.documents``); the rest (kinds no section of this track claims) in the second list.

    ``documents``: anything with a ``kind`` (Document rows, in the order to show them).
    """
    owner: dict[str, str] = {}
    for section in sections_for(product, track):
        for kind in section.documents:
            owner.setdefault(str(kind), section.slug)
    grouped: dict[str, list[D]] = {}
    others: list[D] = []
    for document in documents:
        kind: Any = getattr(document, "kind", "")
        slug = owner.get(str(kind))
        if slug is None:
            others.append(document)
        else:
            grouped.setdefault(slug, []).append(document)
    return grouped, others
