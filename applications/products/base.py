"""What a product declares: the shapes product modules fill in (no product codes here).

A product module (``kandas.py``, ``skills.py``) builds one ``ProductDeclaration`` and
registers it; everything that differs per product reads it from the registry
(``applications.products.get_product``) instead of branching on a product code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START = "cannot_start"

DOCUMENTS = "documents"
FAMILY = "family"
# Where save-and-return progress is kept inside Application.answers (not an answer itself).
PROGRESS_KEY = "_progress"


@dataclass(frozen=True)
class Section:
    """One task of the task list: a form page (or a page of its own), its group and order."""

    slug: str
    title: str | Promise
    group: str | Promise
    form_class: type | None = None  # None: a page of its own (documents, family)
    tracks: tuple[str, ...] = ()  # empty: every track
    requires: tuple[str, ...] = ()  # sections to complete first ("cannot start yet")
    # Document kinds that are evidence for this section's answers: the case page shows them
    # beside the answers (a passport scan beside the passport details).
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactInput:
    """What a fact is computed from: the completed sections of one application, plus the
    values copied into indexed columns and whether the product's evidence is on file."""

    answers: Mapping[str, Any]
    track: str
    sector: str
    occupation_code: str
    region_id: str | None
    on: date
    has_evidence: Callable[[], bool]
    # The employer's answer to the named job offer: True confirmed, False declined or no
    # employer named, None still waiting (the engine reports it as missing).
    offer_confirmed: bool | None = False

    def section(self, slug: str) -> dict:
        # Only completed sections are facts; a half-filled page is not an answer yet.
        done = self.answers.get(PROGRESS_KEY, {})
        return self.answers.get(slug, {}) if done.get(slug) == COMPLETED else {}


@dataclass(frozen=True)
class Fact:
    """A fact the product produces for its criteria: its name (as the criteria read it) and
    how it is computed from the answers (None: not answered, reported as missing)."""

    name: str
    compute: Callable[[FactInput], Any]


@dataclass(frozen=True)
class IndexedValues:
    """Answers copied into the application's indexed columns (queues filter on them)."""

    region_code: str | None = None
    sector: str = ""
    occupation_code: str = ""


@dataclass(frozen=True)
class NamedEmployer:
    """The employer an application names, by BIN, and the offer as the applicant gave it:
    the employer's confirmation request starts from these (applications/employers)."""

    bin: str
    position: str = ""
    isco_code: str = ""
    monthly_salary_kzt: int | None = None
    region_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkedDecision:
    """A decision taken together with the product's own (shown to the applicant)."""

    title: str | Promise
    detail: Callable[[Any], str]  # application -> the line under the title


@dataclass(frozen=True)
class ProductDeclaration:
    """Everything the portal needs to run one product. Terms are the policy's (cite it)."""

    code: str
    label: str | Promise
    reference_prefix: str  # KC-2026-000123; also the card number's and the QR payload's code
    sections: tuple[Section, ...]
    facts: tuple[Fact, ...]
    # Required document kinds for a track and the answers (the policy's list).
    required_documents: Callable[[str, Mapping[str, Any]], tuple[str, ...]]
    indexed: Callable[[Callable[[str], dict], str], IndexedValues]
    validity_years: int
    sla_working_days: int
    rights: Mapping[str, str | Promise]  # share-code purpose -> what a checker may rely on
    optional_documents: tuple[str, ...] = ()
    # The document kind whose presence some facts read (Kandas: ethnicity evidence).
    evidence_kind: str = ""
    # Years of stay from the first card after which the holder may apply for citizenship.
    citizenship_after_years: int | None = None
    # The card is valid only in the region chosen in the application.
    region_bound: bool = False
    # A citizenship the product is not for, and why (shown on the personal-details form).
    excluded_citizenship: str = ""
    excluded_citizenship_message: str | Promise = ""
    linked_decisions: tuple[LinkedDecision, ...] = ()
    # Shown once the application is submitted (what the applicant will get).
    submitted_note: str | Promise = ""
    # What the product is, for the chooser: one line per paragraph.
    summary: tuple[str | Promise, ...] = ()
    # The employer the answers name (completed sections, track), asked to confirm the offer
    # at submission; None: the product names no employer.
    named_employer: Callable[[Callable[[str], dict], str], NamedEmployer | None] | None = None

    @property
    def fact_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.facts)

    def sections_for(self, track: str = "") -> list[Section]:
        return [s for s in self.sections if not s.tracks or track in s.tracks]

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)

    def facts_from(self, data: FactInput) -> dict[str, Any]:
        """The facts, leaving out those not answered (the engine reports them as missing)."""
        facts = {fact.name: fact.compute(data) for fact in self.facts}
        return {name: value for name, value in facts.items() if value is not None}
