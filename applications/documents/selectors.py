"""Reads of the document pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Document

from .mrz import MrzResult, mrz_parse
from .mrz_match import EXPIRED, EXPIRING, NOT_ANSWERED, FieldMatch, MrzComparison, mrz_compare


def documents_for_application(application: Application) -> QuerySet[Document]:
    """The application's documents, oldest first (one query, whatever their number)."""
    return Document.objects.filter(application=application).order_by("created_at", "pk")


# Shown when the zone could not be read (the wording); the upload stays accepted.
UNREADABLE_MESSAGE = _(
    "We could not read the machine-readable lines; make sure the two lines at the bottom are sharp and fully visible."
)
EXPIRY_MESSAGES = {
    EXPIRED: _("The passport has expired, according to its machine-readable lines."),
    EXPIRING: _("The passport expires within 6 months, according to its machine-readable lines."),
}


@dataclass(frozen=True)
class MrzPanel:
    """The MRZ of the latest passport scan against the answers, ready for a page."""

    document: Document
    is_read: bool
    comparison: MrzComparison
    confidence: float

    @property
    def unreadable_message(self) -> str:
        return "" if self.is_read else str(UNREADABLE_MESSAGE)

    @property
    def expiry_message(self) -> str:
        flag = self.comparison.expiry_flag
        return str(EXPIRY_MESSAGES[flag]) if flag else ""

    @property
    def differences(self) -> list[FieldMatch]:
        return self.comparison.differences

    @property
    def shown_fields(self) -> list[FieldMatch]:
        """Fields the applicant answered (sex is not asked on the forms)."""
        return [f for f in self.comparison.fields if f.status != NOT_ANSWERED]


def flat_answers(application: Application) -> dict[str, Any]:
    """The answers of every section in one mapping (the MRZ compares personal and passport)."""
    flat: dict[str, Any] = {}
    for section in (application.answers or {}).values():
        if isinstance(section, dict):
            flat.update(section)
    return flat


def mrz_panel(application: Application) -> MrzPanel | None:
    """The latest processed passport scan's MRZ against the answers, or None if there is none."""
    document = (
        Document.objects.filter(application=application, kind=Document.Kind.PASSPORT, status=Document.Status.READY)
        .exclude(mrz={})
        .order_by("-created_at", "-pk")
        .first()
    )
    if document is None:
        return None
    stored = document.mrz if isinstance(document.mrz, dict) else {}
    lines = stored.get("lines") or []
    result = mrz_parse([str(line) for line in lines][:3]) if lines else MrzResult(format=None)
    comparison = mrz_compare(result, flat_answers(application))
    confidence = stored.get("confidence")
    return MrzPanel(
        document=document,
        is_read=result.format is not None,
        comparison=comparison,
        confidence=float(confidence) if isinstance(confidence, int | float) else 0.0,
    )


@dataclass(frozen=True)
class MrzRow:
    label: str
    status: str
    status_label: str
    read: str
    typed: str


def mrz_rows(panel: MrzPanel, *, differences_only: bool = False) -> list[MrzRow]:
    """Rows in the page language: country names and dates in words, never codes."""
    fields = panel.differences if differences_only else panel.shown_fields
    return [
        MrzRow(f.label, f.status, f.status_label, _shown(f.field, f.read), _shown(f.field, f.typed)) for f in fields
    ]


def _shown(field: str, value: str) -> str:
    from datetime import date

    from django_countries import countries

    from portal.display import date_display

    if not value:
        return "—"
    if field in ("birth_date", "expiry_date"):
        if len(value) == 6:  # as the zone writes it
            result = MrzResult(format=None, birth_date_raw=value, expiry_date_raw=value)
            day = result.birth_date() if field == "birth_date" else result.expiry_date()
            return date_display(day) if day else "—"
        try:
            return date_display(date.fromisoformat(value))
        except ValueError:
            return "—"
    if field in ("nationality", "issuing_state"):
        code = countries.alpha2(value) if len(value) == 3 else value
        return str(countries.name(code)) if code else "—"
    return value
