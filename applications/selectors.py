"""Applicant reads: my applications, the task list, check-your-answers rows, the timeline."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms as djforms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import sections
from applications.casework.sla import sla_due
from applications.forms.common import RELATIONSHIP_CHOICES
from applications.models import Application, Document, IssuedCard, RequestForInformation
from applications.products import get_product
from applications.states import DECIDED_STATES, ENDED_STATES, GRANTED_STATES, REVIEW_STATES, SLA_STATES, State
from eligibility.definitions import definition_from_set, translations_of
from eligibility.display import hints_display, score_label_display, score_rule_display
from eligibility.models import Region
from eligibility.occupations import occupation_label
from portal.audit.models import AuditEvent
from portal.display import date_display


def applications_of(user: Any) -> QuerySet[Application]:
    """The user's own applications, newest first (one query, whatever their number).

    Only the columns the list shows: the answers (a JSON document per application) are
    neither fetched nor decoded.
    """
    return (
        Application.objects.filter(owner=user)
        .only("pk", "owner_id", "product", "state", "reference", "created_at", "updated_at")
        .order_by("-created_at")
    )


def has_ended(application: Application) -> bool:
    return application.state in ENDED_STATES


@dataclass
class TaskItem:
    section: sections.Section
    status: str
    url: str

    @property
    def status_label(self) -> str:
        return str(sections.STATUS_LABELS[self.status])

    @property
    def tag(self) -> str:
        return sections.STATUS_TAGS[self.status]

    @property
    def can_start(self) -> bool:
        return self.status != sections.CANNOT_START


@dataclass
class TaskGroup:
    title: str
    items: list[TaskItem]


def live_documents(application: Application) -> list[Document]:
    """Documents that count: everything not rejected."""
    return [d for d in application.documents.all() if d.status != Document.Status.REJECTED]


def documents_status(application: Application, documents: list[Document] | None = None) -> str:
    documents = live_documents(application) if documents is None else documents
    required = sections.required_document_kinds(application.product, application.track, application.answers)
    present = {d.kind for d in documents}
    if required and all(kind in present for kind in required):
        return sections.COMPLETED
    return sections.IN_PROGRESS if documents else sections.NOT_STARTED


def section_url(application: Application, slug: str) -> str:
    if slug == sections.DOCUMENTS:
        return reverse("applications:documents", args=[application.pk])
    if slug == sections.FAMILY:
        return reverse("applications:family", args=[application.pk])
    return reverse("applications:section", args=[application.pk, slug])


def task_list(application: Application) -> list[TaskGroup]:
    """Sections grouped as on the task list page, each with its status."""
    progress = application.answers.get(sections.PROGRESS_KEY, {})
    documents = live_documents(application)
    groups: dict[str, TaskGroup] = {}
    for section in sections.sections_for(application.product, application.track):
        if any(progress.get(r) != sections.COMPLETED for r in section.requires):
            status = sections.CANNOT_START
        elif section.slug == sections.DOCUMENTS:
            status = documents_status(application, documents)
        else:
            status = progress.get(section.slug, sections.NOT_STARTED)
        group = groups.setdefault(str(section.group), TaskGroup(str(section.group), []))
        group.items.append(TaskItem(section, status, section_url(application, section.slug)))
    return list(groups.values())


def completed_count(groups: list[TaskGroup]) -> tuple[int, int]:
    items = [i for g in groups for i in g.items]
    return sum(i.status == sections.COMPLETED for i in items), len(items)


@dataclass
class DocumentRow:
    kind: str
    label: str
    required: bool
    documents: list[Document]


def document_rows(application: Application) -> list[DocumentRow]:
    required = sections.required_document_kinds(application.product, application.track, application.answers)
    kinds = sections.uploadable_document_kinds(application.product, application.track, application.answers)
    by_kind: dict[str, list[Document]] = {}
    # Pages in their order; the combined PDFs (made after submission) are not pages.
    for document in application.documents.filter(combined_key="").order_by("page", "created_at", "pk"):
        by_kind.setdefault(document.kind, []).append(document)
    labels = dict(Document.Kind.choices)
    return [DocumentRow(kind, str(labels[kind]), kind in required, by_kind.get(kind, [])) for kind in kinds]


# ---- Check your answers ------------------------------------------------------------------------


def display_value(field: djforms.Field, value: Any) -> str:
    """An answer as the applicant should read it back, in the current language."""
    if value in (None, "", []):
        return "—"
    if isinstance(field, djforms.BooleanField):
        return str(_("Yes")) if value else str(_("No"))
    if isinstance(field, djforms.ModelMultipleChoiceField):
        names = {r.pk: r.name for r in Region.objects.filter(pk__in=value)}
        return ", ".join(names.get(v, str(v)) for v in value)
    if isinstance(field, djforms.ModelChoiceField):
        region = Region.objects.filter(pk=value).first()
        return region.name if region else str(value)
    if field.__class__.__name__ == "OccupationField":
        return occupation_label(str(value))
    if field.__class__.__name__ == "DatePartsField":
        try:
            return date_display(date.fromisoformat(value))
        except (TypeError, ValueError):
            return " / ".join(str(v or "") for v in value) if isinstance(value, list) else str(value)
    if isinstance(field, djforms.ChoiceField):
        choices = {str(k): v for k, v in field.choices}  # type: ignore[union-attr,misc] # a list once bound
        return str(choices.get(str(value), value))
    if isinstance(field, djforms.IntegerField):
        from django.utils.formats import number_format

        return number_format(value, force_grouping=True)
    return str(value)


@dataclass
class AnswerRow:
    label: str
    value: str


@dataclass
class AnswerSection:
    section: sections.Section
    rows: list[AnswerRow]
    change_url: str


def answer_sections(application: Application, answers: dict | None = None) -> list[AnswerSection]:
    """Every answered section as label/value rows, with its change link.

    ``answers``: the answers as the reader may see them (``portal.privacy.answers_for``
    masks identifiers for staff who do not check identity); the applicant's own by default.
    """
    result = []
    shown = application.answers if answers is None else answers
    for section in sections.sections_for(application.product, application.track):
        answers = shown.get(section.slug) or {}
        url = section_url(application, section.slug)
        if section.slug == sections.DOCUMENTS:
            rows = [
                AnswerRow(row.label, ", ".join(d.display_name for d in row.documents) or "—")
                for row in document_rows(application)
                if row.required or row.documents
            ]
        elif section.slug == sections.FAMILY:
            members = answers.get("members") or []
            rows = [
                AnswerRow(str(_("Family members coming with you")), str(len(members)) if members else str(_("None")))
            ]
            relationship = dict(RELATIONSHIP_CHOICES)
            rows += [
                AnswerRow(
                    str(relationship.get(m.get("relationship"), "")),
                    f"{m.get('name_latin')}, {_fmt(m.get('date_of_birth'))}",
                )
                for m in members
            ]
        elif section.form_class is not None:
            form = section.form_class(application=application)
            rows = [
                AnswerRow(str(field.label), display_value(field, answers.get(name)))
                for name, field in form.fields.items()
                if not (section.slug == "job_offer" and name != "has_offer" and answers.get("has_offer") != "yes")
            ]
        else:
            continue  # a page of its own with nothing to list (the two above are the only ones)
        result.append(AnswerSection(section, rows, url))
    return result


@dataclass
class CaseSection:
    """One section of the case page: the applicant's answers and the documents supporting them."""

    section: sections.Section
    rows: list[AnswerRow]
    documents: list[Document]


def case_sections(
    application: Application, answers: dict, documents: list[Document]
) -> tuple[list[CaseSection], list[Document]]:
    """The answers as the applicant reviewed them, each section with the documents its product
    declares as evidence for it; then the documents no section claims (other, achievements...).

    The documents page itself is left out: every document sits beside its answers instead.
    """
    grouped, others = sections.documents_by_section(application.product, application.track, documents)
    result = [
        CaseSection(answer_section.section, answer_section.rows, grouped.get(answer_section.section.slug, []))
        for answer_section in answer_sections(application, answers)
        if answer_section.section.slug != sections.DOCUMENTS
    ]
    return result, others


def _fmt(value: Any) -> str:
    try:
        return date_display(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value or "")


# ---- Status page --------------------------------------------------------------------------------

# Audit actions an applicant sees on their timeline, with how to say them.
TIMELINE_LABELS = {
    "submit": _("Application submitted"),
    "documents_checked": _("Documents checked"),
    "start_review": _("A caseworker started reviewing your application"),
    "resume_review": _("A caseworker resumed reviewing your application"),
    "request_info": _("We asked you for more information"),
    "reply": _("You replied to our request"),
    "approve": _("Application approved"),
    "refuse": _("Application refused"),
    "issue": _("Card issued"),
    "withdraw": _("Application withdrawn"),
    "review_request": _("You asked for a review of the refusal"),
    "review_start": _("A senior caseworker started reviewing the refusal"),
    "review_uphold": _("The refusal was upheld on review"),
    "review_overturn": _("The refusal was overturned: your application will be decided again"),
    "review_withdraw": _("You withdrew your request for a review"),
}
# Reasons staff write that the applicant is meant to read.
SHOWN_REASONS = {"request_info", "refuse", "reply", "review_request", "review_uphold", "review_overturn"}


@dataclass
class TimelineEntry:
    at: Any
    label: str
    text: str


def timeline(application: Application) -> list[TimelineEntry]:
    """The events of the case the applicant may see (no internal notes, no staff names)."""
    events = AuditEvent.objects.filter(application=application, action__in=TIMELINE_LABELS).order_by("created_at", "id")
    return [
        TimelineEntry(e.created_at, str(TIMELINE_LABELS[e.action]), e.reason if e.action in SHOWN_REASONS else "")
        for e in events.only("created_at", "action", "reason")
    ]


def open_rfi(application: Application) -> RequestForInformation | None:
    """The request for information the applicant has still to answer, if the case waits on one."""
    if application.state != State.AWAITING_APPLICANT:
        return None
    return application.rfis.filter(replied_at__isnull=True).order_by("-created_at", "-id").first()


def expected_decision_at(application: Application) -> datetime | None:
    """When the applicant may expect a decision: the SLA target while the case waits on staff.

    Routing writes the target (``sla_due_at``, the product's working days from entering the
    queue); a case without one (seeded, imported) gets it from its submission. None while
    the clock is stopped (waiting for the applicant or a quota place) or once decided.
    """
    if application.state not in SLA_STATES:
        return None
    if application.sla_due_at is not None:
        return application.sla_due_at
    return sla_due(application.product, application.submitted_at) if application.submitted_at else None


def open_request(application: Application) -> str:
    """What the case waiting for the applicant asks for; never empty in that state.

    The open request row first (a seeded or imported case may have no audit event), then
    the request's audit event, then a general request: the status page always shows a
    request and its reply form while the state reads "waiting for your reply".
    """
    if application.state != State.AWAITING_APPLICANT:
        return ""
    rfi = open_rfi(application)
    if rfi is not None and rfi.text.strip():
        return rfi.text
    event = (
        AuditEvent.objects.filter(application=application, action="request_info").order_by("-created_at", "-id").first()
    )
    if event is not None and event.reason.strip():
        return event.reason
    return str(
        _(
            "The caseworker needs more information about your application. Reply below with what you can add, "
            "and attach any documents that support it."
        )
    )


def decision_reason(application: Application) -> str:
    if application.state not in DECIDED_STATES:
        return ""
    event = (
        AuditEvent.objects.filter(application=application, action__in=("approve", "refuse"))
        .order_by("-created_at", "-id")
        .first()
    )
    return event.reason if event else ""


@dataclass
class LinkedDecision:
    title: str
    status: str
    tag: str
    detail: str


def linked_decisions(application: Application) -> list[LinkedDecision]:
    """The decisions the product takes together with its own (the Kandas Card: three)."""
    linked = get_product(application.product).linked_decisions
    if not linked:
        return []
    if application.state in GRANTED_STATES:
        status, tag = _("Granted"), "tag--green"
    elif application.state == State.REFUSED or application.state in REVIEW_STATES:
        # Under review the refusal stands until the reviewer overturns it.
        status, tag = _("Refused"), "tag--red"
    elif application.state == State.WITHDRAWN:
        status, tag = _("Withdrawn"), "tag--grey"
    else:
        status, tag = _("Not decided yet"), "tag--grey"
    return [LinkedDecision(str(d.title), str(status), tag, d.detail(application)) for d in linked]


def issued_card(application: Application) -> IssuedCard | None:
    """The card the application was granted, once issued (the status page links to it)."""
    return IssuedCard.objects.filter(application=application).first()


@dataclass
class RefusalExplanation:
    """What a refused applicant is told about the criteria: the version applied and what
    would have raised the score (the engine's hints, stored with the score)."""

    version: int
    effective_from: date | None
    hints: list[dict]


def refusal_explanation(application: Application) -> RefusalExplanation | None:
    """For a refused, scored application: the criteria version it was scored against and the
    "what would raise it" hints, worded as the self-check words them."""
    criteria_set = application.criteria_set if application.state == State.REFUSED else None
    if criteria_set is None:
        return None
    detail = application.score_detail or {}
    stored = detail.get("hints") if isinstance(detail, dict) else None
    hints = [h for h in stored if isinstance(h, dict)] if isinstance(stored, list) else []
    return RefusalExplanation(
        version=criteria_set.version,
        effective_from=criteria_set.effective_from,
        hints=hints_display(hints, definition_from_set(criteria_set)) if hints else [],
    )


def score_breakdown(application: Application) -> list[dict]:
    """Per-factor rows of the score, once scored (shape written by the eligibility engine)."""
    if application.scored_at is None:
        return []
    detail = application.score_detail or {}
    # The engine's Result.to_dict() (eligibility/engine/result.py) keeps factors in "lines".
    rows = detail.get("lines") or detail.get("breakdown") or detail.get("factors") or []
    # The stored lines carry the set's texts; their wording in the page language is the set's.
    tr = translations_of(application.criteria_set) if application.criteria_set is not None else {}
    result = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and row.get("state", "scored") in ("scored", ""):
            result.append(
                {
                    "label": score_label_display(row.get("label") or row.get("name") or "", row.get("factor", ""), tr),
                    "points": row.get("points", row.get("score", "")),
                    "rule": score_rule_display(row.get("rule") or row.get("reason") or "", tr),
                }
            )
    return result


def draft_expires_on(application: Application) -> date:
    """Drafts expire DRAFT_EXPIRY_DAYS after their last change."""
    return timezone.localdate(application.updated_at + timedelta(days=settings.DRAFT_EXPIRY_DAYS))
