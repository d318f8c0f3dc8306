"""A test-only third product: proof that a new product is one declaration module plus its forms.

Registered only by the tests that use it (``registered`` below); the portal never sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms as django_forms

from applications.forms.base import SectionForm
from applications.forms.common import ContactForm, DeclarationsForm, PassportForm, PersonalForm
from applications.models import CardShareCode, Document
from applications.products import (
    DOCUMENTS,
    Fact,
    IndexedValues,
    ProductDeclaration,
    Section,
)
from applications.products.common import ABOUT_YOU, COMMON_FACTS, FINISH, YOUR_CASE, as_int

CODE = "research_fellowship"
K = Document.Kind


class FellowshipForm(SectionForm):
    host_institution = django_forms.CharField(label="Host institution", max_length=200)
    publications = django_forms.IntegerField(label="Peer-reviewed publications", min_value=0)
    required_message = {"host_institution": "Enter the host institution"}


def _indexed(completed: Callable[[str], dict], track: str) -> IndexedValues:
    return IndexedValues()


def _documents(track: str, answers: Mapping[str, Any]) -> tuple[str, ...]:
    return (K.PASSPORT, K.PHOTO, K.DIPLOMA)


DECLARATION = ProductDeclaration(
    code=CODE,
    label="Research Fellowship",
    reference_prefix="RF",
    sections=(
        Section("personal", "Personal details", ABOUT_YOU, PersonalForm),
        Section("passport", "Passport", ABOUT_YOU, PassportForm),
        Section("contact", "Contact details", ABOUT_YOU, ContactForm),
        Section("fellowship", "Fellowship", YOUR_CASE, FellowshipForm),
        Section(DOCUMENTS, "Documents", FINISH, None),
        Section("declarations", "Declarations", FINISH, DeclarationsForm),
    ),
    facts=(
        *COMMON_FACTS,
        Fact("publications", lambda d: as_int(d.section("fellowship").get("publications"))),
        Fact("has_host", lambda d: bool(d.section("fellowship").get("host_institution")) or None),
    ),
    required_documents=_documents,
    indexed=_indexed,
    validity_years=1,
    sla_working_days=5,
    rights={
        CardShareCode.Purpose.WORK: "May do research at the host institution.",
        CardShareCode.Purpose.RENT: "May rent housing.",
        CardShareCode.Purpose.SERVICES: "May open a bank account.",
    },
)

# Its criteria: facts the product produces, and (in the refusal test) one it does not.
CRITERIA: dict[str, Any] = {
    "schema": "eligibility.criteria/1",
    "code": "research_fellowship",
    "title": "Research Fellowship points",
    "product": CODE,
    "pass_mark": 10,
    "facts": [
        {"name": "publications", "type": "integer", "label": "Publications"},
        {"name": "has_host", "type": "boolean", "label": "Host institution confirmed"},
        {"name": "age", "type": "integer", "label": "Age"},
    ],
    "factors": [
        {
            "id": "publications",
            "kind": "bands",
            "label": "Publications",
            "fact": "publications",
            "bands": [{"min": 0, "max": 5, "points": 5}, {"min": 5, "max": None, "points": 15}],
        },
    ],
    "knockouts": [
        {"id": "host", "label": "A host institution", "condition": {"fact": "has_host", "op": "is_true"}},
    ],
    # Publishing needs every text in Kazakh and Russian (eligibility.services.REQUIRED_LANGUAGES).
    "translations": {
        "Research Fellowship points": {
            "kk": "Зерттеу стипендиясының ұпайлары",
            "ru": "Баллы исследовательской стипендии",
        },
        "Publications": {"kk": "Жарияланымдар", "ru": "Публикации"},
        "Host institution confirmed": {
            "kk": "Қабылдаушы мекеме расталды",
            "ru": "Принимающая организация подтверждена",
        },
        "Age": {"kk": "Жасы", "ru": "Возраст"},
        "A host institution": {"kk": "Қабылдаушы мекеме", "ru": "Принимающая организация"},
    },
}
