"""The facts the eligibility criteria read, derived from an application's answers.

The criteria sets name their facts (``age``, ``education``, ``experience_years``...); the
application forms ask questions in the applicant's terms. Each product declares, in its module
under ``applications/products/``, the facts it produces and how each is computed from the
answers; this module feeds those declarations an application (or plain stored values).
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet

from applications.employers.selectors import offer_confirmed, offer_outcomes
from applications.models import Application, Document
from applications.products import FactInput, get_product
from applications.products.common import age_on

__all__ = [
    "age_on",
    "application_facts",
    "evidence_filter",
    "facts_from_values",
    "facts_of_many",
]


def application_facts(application: Application, *, on: date | None = None) -> dict[str, Any]:
    """Facts for the criteria of the application's product. Unanswered facts are left out,
    so the engine reports them as missing rather than scoring a guess."""
    kind = get_product(application.product).evidence_kind
    # The document query runs only when a fact asks for the product's evidence.
    return _facts_of(
        application,
        on=on,
        has_evidence=lambda: bool(kind) and evidence_filter(application.documents.all(), kind).exists(),
        offer=offer_confirmed(application.pk) if application.pk else False,
    )


def _facts_of(
    application: Application, *, on: date | None, has_evidence: Callable[[], bool], offer: bool | None
) -> dict[str, Any]:
    return facts_from_values(
        product=application.product,
        answers=application.answers or {},
        occupation_code=application.occupation_code,
        region_id=application.region_id,
        sector=application.sector,
        track=application.track,
        on=on or (application.submitted_at.date() if application.submitted_at else date.today()),
        has_evidence=has_evidence,
        offer_confirmed=offer,
    )


def facts_of_many(applications: Sequence[Application]) -> list[dict[str, Any]]:
    """``application_facts`` of each application, with each product's evidence read for all
    of them in one query per product instead of one per application."""
    with_proof: set[int] = set()
    by_kind: dict[str, list[int]] = {}
    for app in applications:
        kind = get_product(app.product).evidence_kind
        if kind:
            by_kind.setdefault(kind, []).append(app.pk)
    for kind, ids in by_kind.items():
        docs = evidence_filter(Document.objects.filter(application_id__in=ids), kind)
        with_proof |= set(docs.values_list("application_id", flat=True))
    offers = offer_outcomes([app.pk for app in applications])
    return [
        _facts_of(app, on=None, has_evidence=lambda pk=app.pk: pk in with_proof, offer=offers.get(app.pk, False))
        for app in applications
    ]


def evidence_filter(documents: QuerySet[Document], kind: str) -> QuerySet[Document]:
    """Documents that count as evidence of ``kind``: of that kind and not rejected."""
    return documents.filter(kind=kind).exclude(status=Document.Status.REJECTED)


def facts_from_values(
    *,
    product: str,
    answers: dict,
    occupation_code: str,
    region_id: str | None,
    sector: str,
    track: str,
    on: date,
    has_evidence: Callable[[], bool],
    offer_confirmed: bool | None = False,
) -> dict[str, Any]:
    """The facts from an application's stored values, without a model instance: bulk rescoring
    reads plain rows and answers "is the product's evidence on file?" for the whole pool at once
    (``has_evidence``; the product declares which document kind that is, ``evidence_kind``).
    ``offer_confirmed`` is the named employer's answer (``employers.selectors.offer_outcomes``)."""
    return get_product(product).facts_from(
        FactInput(
            answers=answers,
            track=track,
            sector=sector,
            occupation_code=occupation_code,
            region_id=region_id,
            on=on,
            has_evidence=has_evidence,
            offer_confirmed=offer_confirmed,
        )
    )
