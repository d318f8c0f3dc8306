"""The facts the eligibility criteria read, derived from an application's answers.

The criteria sets name their facts (``age``, ``education``, ``experience_years``...); the
application forms ask questions in the applicant's terms. This module is the one
translation between the two, so that neither the forms nor the criteria have to know
the other's vocabulary. Each derivation is documented where it is not a plain copy.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet

from applications import sections
from applications.models import Application, Document
from eligibility.products import Product

# Self-assessed language levels (forms.LANGUAGE_LEVELS) to the scales the criteria use.
# "intermediate" (B1–B2) maps to the lower bound, B1: the portal cannot assume more.
_CEFR = {"none": "none", "basic": "a2", "intermediate": "b1", "advanced": "c1", "native": "c1"}
_KANDAS_KAZAKH = {"none": "none", "basic": "basic", "intermediate": "basic", "advanced": "fluent", "native": "fluent"}


def age_on(born: str | None, on: date) -> int | None:
    """Completed years between an ISO birth date and ``on``; None if the date is missing or bad."""
    try:
        birth = date.fromisoformat(born) if born else None
    except ValueError:
        return None
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _achievement_level(answers: dict) -> str | None:
    """The highest recognised achievement: asked directly, else "none" when nothing is declared.

    Declared publications, patents or awards count as a national-level achievement until
    a caseworker has checked the evidence (the criteria's top band needs an explicit claim).
    """
    declared = answers.get("recognition")
    if declared in {"none", "national", "international"}:
        return declared
    if not answers:
        return None
    if (_int(answers.get("publications")) or 0) > 0 or (_int(answers.get("patents")) or 0) > 0:
        return "national"
    return "national" if (answers.get("awards") or "").strip() else "none"


def application_facts(application: Application, *, on: date | None = None) -> dict[str, Any]:
    """Facts for the criteria of the application's product. Unanswered facts are left out,
    so the engine reports them as missing rather than scoring a guess."""
    # The document query runs only when the Kandas answers declare ethnicity evidence.
    return _facts_of(
        application,
        on=on,
        ethnicity_document=lambda: ethnicity_evidence_filter(Document.objects.filter(application=application)).exists(),
    )


def _facts_of(application: Application, *, on: date | None, ethnicity_document: Callable[[], bool]) -> dict[str, Any]:
    return facts_from_values(
        product=application.product,
        answers=application.answers or {},
        occupation_code=application.occupation_code,
        region_id=application.region_id,
        sector=application.sector,
        track=application.track,
        on=on or (application.submitted_at.date() if application.submitted_at else date.today()),
        ethnicity_document=ethnicity_document,
    )


def facts_of_many(applications: Sequence[Application]) -> list[dict[str, Any]]:
    """``application_facts`` of each application, with the Kandas Card's ethnicity evidence read
    for all of them in one query instead of one per application."""
    kandas = [a.pk for a in applications if a.product == Product.KANDAS_CARD]
    with_proof: set[int] = set()
    if kandas:
        docs = ethnicity_evidence_filter(Document.objects.filter(application_id__in=kandas))
        with_proof = set(docs.values_list("application_id", flat=True))
    return [_facts_of(app, on=None, ethnicity_document=lambda pk=app.pk: pk in with_proof) for app in applications]


def ethnicity_evidence_filter(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents that count as ethnicity evidence: of that kind and not rejected."""
    return documents.filter(kind=Document.Kind.ETHNICITY_EVIDENCE).exclude(status=Document.Status.REJECTED)


def facts_from_values(
    *,
    product: str,
    answers: dict,
    occupation_code: str,
    region_id: str | None,
    sector: str,
    track: str,
    on: date,
    ethnicity_document: Callable[[], bool],
) -> dict[str, Any]:
    """The facts from an application's stored values, without a model instance: bulk rescoring
    reads plain rows and answers "is there an ethnicity document?" for the whole pool at once."""
    done = answers.get(sections.PROGRESS_KEY, {})

    def section(slug: str) -> dict:
        # Only completed sections are facts; a half-filled page is not an answer yet.
        return answers.get(slug, {}) if done.get(slug) == sections.COMPLETED else {}

    personal = section("personal")
    facts: dict[str, Any] = {
        "age": age_on(personal.get("date_of_birth"), on),
        "citizenship": personal.get("citizenship"),
        "occupation_code": occupation_code or None,
        "region": region_id,
    }
    if product == Product.KANDAS_CARD:
        profession, business, languages = section("profession"), section("business"), section("languages")
        facts |= {
            "track": track or section("track").get("track"),
            # Proof is the declared evidence plus an uploaded document that was not rejected.
            "ethnic_kazakh_proof": bool(section("ethnicity").get("evidence_kind")) and ethnicity_document(),
            "education": profession.get("education_level"),
            "experience_years": _int(profession.get("years_experience")),
            "business_turnover_usd": _int(business.get("annual_revenue_usd")),
            "kazakh_language": _KANDAS_KAZAKH.get(languages.get("kazakh", "")),
        }
    else:
        offer, languages = section("job_offer"), section("languages")
        facts |= {
            "sector": sector or section("sector").get("sector"),
            "education": section("education").get("education_level"),
            "experience_years": _int(section("experience").get("years_experience")),
            "achievements": _achievement_level(section("achievements")),
            "has_job_offer": {"yes": True, "no": False}.get(offer.get("has_offer")),
            "monthly_salary_kzt": _int(offer.get("monthly_salary_kzt")),
            "kazakh_level": _CEFR.get(languages.get("kazakh", "")),
            "russian_level": _CEFR.get(languages.get("russian", "")),
            "english_level": _CEFR.get(languages.get("english", "")),
        }
    return {name: value for name, value in facts.items() if value is not None}
