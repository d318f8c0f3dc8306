"""The Kandas Card: entry, stay and work for ethnic Kazakhs resettling in Kazakhstan.

Terms from the policy paper: the card is valid 3 years, is bound to the region of arrival
chosen in the application (a place in that region's resettlement quota), and holders may
apply for citizenship after 5 years of stay counted from the first card. Decisions are due
within 3 working days, as the commission deciding kandas status does today.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from applications.forms.common import ContactForm, LanguagesForm, PassportForm, PersonalForm
from applications.models import CardShareCode, Document
from applications.products import register
from applications.products.base import (
    DOCUMENTS,
    FAMILY,
    Fact,
    IndexedValues,
    LinkedDecision,
    NamedEmployer,
    ProductDeclaration,
    Section,
)
from applications.products.common import ABOUT_YOU, ARRIVAL, COMMON_FACTS, FINISH, YOUR_CASE, as_int, lazy_format
from applications.products.kandas_forms import (
    BusinessForm,
    EthnicityForm,
    KandasDeclarationsForm,
    ProfessionForm,
    RegionForm,
    TrackForm,
)
from eligibility.products import Product, Sector
from portal.settings.env import env_int

K = Document.Kind
VALIDITY_YEARS = 3  # policy paper
CITIZENSHIP_AFTER_YEARS = 5  # policy paper: years of stay from the first card

SECTIONS: tuple[Section, ...] = (
    Section("personal", _("Personal details"), ABOUT_YOU, PersonalForm, documents=(K.PHOTO,)),
    Section("passport", _("Passport"), ABOUT_YOU, PassportForm, documents=(K.PASSPORT,)),
    Section(
        "ethnicity", _("Evidence of Kazakh ethnicity"), ABOUT_YOU, EthnicityForm, documents=(K.ETHNICITY_EVIDENCE,)
    ),
    Section("contact", _("Contact details and address abroad"), ABOUT_YOU, ContactForm),
    # The criteria award up to 10 points for Kazakh: the application asks, with evidence.
    Section("languages", _("Languages"), ABOUT_YOU, LanguagesForm, documents=(K.LANGUAGE_CERTIFICATE,)),
    Section("track", _("Professional or business"), YOUR_CASE, TrackForm),
    Section(
        "profession",
        _("Profession"),
        YOUR_CASE,
        ProfessionForm,
        tracks=("professional",),
        requires=("track",),
        documents=(K.DIPLOMA, K.EMPLOYMENT_EVIDENCE),
    ),
    Section(
        "business",
        _("Business case"),
        YOUR_CASE,
        BusinessForm,
        tracks=("business",),
        requires=("track",),
        documents=(K.BUSINESS_REGISTRATION, K.BUSINESS_ACCOUNTS),
    ),
    Section("region", _("Region of arrival"), ARRIVAL, RegionForm),
    Section(FAMILY, _("Family members coming with you"), ARRIVAL, None),
    Section(DOCUMENTS, _("Documents"), FINISH, None, requires=("track",)),
    Section("declarations", _("Declarations"), FINISH, KandasDeclarationsForm),
)

# The Kandas criteria score Kazakh as none / basic / fluent (eligibility/fixtures/kandas_card_example.json).
KAZAKH_SCALE = {"none": "none", "basic": "basic", "intermediate": "basic", "advanced": "fluent", "native": "fluent"}


def _kazakh(level: str | None) -> str | None:
    return KAZAKH_SCALE.get(level or "")


FACTS: tuple[Fact, ...] = (
    *COMMON_FACTS,
    Fact("track", lambda d: d.track or d.section("track").get("track")),
    # Proof is the declared evidence plus an uploaded document that was not rejected.
    Fact("ethnic_kazakh_proof", lambda d: bool(d.section("ethnicity").get("evidence_kind")) and d.has_evidence()),
    Fact("education", lambda d: d.section("profession").get("education_level")),
    Fact("experience_years", lambda d: as_int(d.section("profession").get("years_experience"))),
    Fact("business_turnover_usd", lambda d: as_int(d.section("business").get("annual_revenue_usd"))),
    Fact("kazakh_language", lambda d: _kazakh(d.section("languages").get("kazakh"))),
    # The named employer's answer to the confirmation request (professional track only).
    Fact("offer_confirmed_by_employer", lambda d: d.offer_confirmed),
)

_BY_TRACK = {
    "professional": (K.PASSPORT, K.PHOTO, K.ETHNICITY_EVIDENCE, K.DIPLOMA, K.EMPLOYMENT_EVIDENCE),
    "business": (K.PASSPORT, K.PHOTO, K.ETHNICITY_EVIDENCE, K.BUSINESS_REGISTRATION, K.BUSINESS_ACCOUNTS),
}


def required_documents(track: str, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The policy's list per track; a language certificate when the Kazakh claimed earns points."""
    if not track:
        return ()
    kinds = _BY_TRACK[track]
    if _kazakh((answers.get("languages") or {}).get("kazakh")) not in (None, "none"):
        kinds = (*kinds, K.LANGUAGE_CERTIFICATE)
    return kinds


def indexed(completed: Callable[[str], dict], track: str) -> IndexedValues:
    return IndexedValues(
        region_code=completed("region").get("region"),
        sector=Sector.BUSINESS if track == "business" else "",
        occupation_code=completed("profession").get("occupation_code", "") if track == "professional" else "",
    )


def named_employer(completed: Callable[[str], dict], track: str) -> NamedEmployer | None:
    """A professional's employer in Kazakhstan, when the profession page names one by BIN."""
    profession = completed("profession") if track == "professional" else {}
    if not profession.get("employer_bin"):
        return None
    region = completed("region").get("region")
    return NamedEmployer(
        bin=profession["employer_bin"],
        isco_code=profession.get("occupation_code", ""),
        region_codes=(region,) if region else (),
    )


def _region_name(application: Any) -> str:
    region = application.region.name if application.region_id else "—"
    return str(_("Region: %(region)s") % {"region": region})


KANDAS_CARD = register(
    ProductDeclaration(
        code=Product.KANDAS_CARD,
        label=Product.KANDAS_CARD.label,
        reference_prefix="KC",
        sections=SECTIONS,
        facts=FACTS,
        required_documents=required_documents,
        optional_documents=(K.ACHIEVEMENT, K.OTHER),
        indexed=indexed,
        named_employer=named_employer,
        evidence_kind=K.ETHNICITY_EVIDENCE,
        validity_years=VALIDITY_YEARS,
        citizenship_after_years=CITIZENSHIP_AFTER_YEARS,
        region_bound=True,
        sla_working_days=env_int("CASEWORK_SLA_KANDAS_DAYS", 3),
        excluded_citizenship="KZ",
        excluded_citizenship_message=_("The Kandas Card is for people who hold another citizenship, not Kazakhstan's"),
        rights={
            CardShareCode.Purpose.WORK: _(
                "May work in Kazakhstan without a work permit and take part in long-term projects, "
                "for the validity of the card."
            ),
            CardShareCode.Purpose.RENT: _(
                "Holds the rights of a residence-permit holder: may rent and own real estate and property."
            ),
            CardShareCode.Purpose.SERVICES: _(
                "Holds the rights of a residence-permit holder: may open a business and carry out financial "
                "transactions. No political rights."
            ),
        },
        summary=(
            _(
                "For ethnic Kazakhs who hold another citizenship and are high-level professionals or run a "
                "successful business they want to grow in Kazakhstan."
            ),
            lazy_format(
                _(
                    "You can live and work in Kazakhstan for up to %(years)s years, choose a region to settle in "
                    "(with support in labour-deficient regions) and apply for citizenship after %(citizenship)s years."
                ),
                years=VALIDITY_YEARS,
                citizenship=CITIZENSHIP_AFTER_YEARS,
            ),
        ),
        submitted_note=_(
            "For the Kandas Card you will get three linked decisions: the card, a place in the resettlement "
            "quota of your region, and the right to work."
        ),
        # Three linked decisions, taken together with the card's.
        linked_decisions=(
            LinkedDecision(
                _("Kandas Card"),
                lambda application: str(
                    lazy_format(_("Entry and stay for up to %(years)s years"), years=VALIDITY_YEARS)
                ),
            ),
            LinkedDecision(_("Place in the regional resettlement quota"), _region_name),
            LinkedDecision(_("Right to work"), lambda application: str(_("Work without a separate permit"))),
        ),
    )
)
