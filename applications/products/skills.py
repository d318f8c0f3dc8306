"""The Valuable Skills Visa: a visa with a residence permit for skilled work anywhere in Kazakhstan.

Validity 5 years unless ``SKILLS_VISA_VALIDITY_YEARS`` says otherwise; decisions due within
10 working days (``CASEWORK_SLA_SKILLS_DAYS``).
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
    Fact,
    FactInput,
    IndexedValues,
    NamedEmployer,
    ProductDeclaration,
    Section,
)
from applications.products.common import ABOUT_YOU, ARRIVAL, CEFR, COMMON_FACTS, FINISH, YOUR_CASE, as_int
from applications.products.skills_forms import (
    AchievementsForm,
    EducationForm,
    ExperienceForm,
    JobOfferForm,
    OccupationForm,
    RegionsForm,
    SectorForm,
    VisaDeclarationsForm,
)
from eligibility.products import Product
from portal.settings.env import env_int

K = Document.Kind

SECTIONS: tuple[Section, ...] = (
    Section("personal", _("Personal details"), ABOUT_YOU, PersonalForm, documents=(K.PHOTO,)),
    Section("passport", _("Passport"), ABOUT_YOU, PassportForm, documents=(K.PASSPORT,)),
    Section("contact", _("Contact details and address abroad"), ABOUT_YOU, ContactForm),
    Section("sector", _("Sector"), YOUR_CASE, SectorForm),
    Section("occupation", _("Occupation"), YOUR_CASE, OccupationForm),
    Section("education", _("Education"), YOUR_CASE, EducationForm, documents=(K.DIPLOMA,)),
    Section("experience", _("Work experience"), YOUR_CASE, ExperienceForm, documents=(K.EMPLOYMENT_EVIDENCE,)),
    Section("achievements", _("Achievements"), YOUR_CASE, AchievementsForm, documents=(K.ACHIEVEMENT,)),
    Section("job_offer", _("Job offer or invitation"), YOUR_CASE, JobOfferForm, documents=(K.OFFER_LETTER,)),
    Section("languages", _("Languages"), YOUR_CASE, LanguagesForm, documents=(K.LANGUAGE_CERTIFICATE,)),
    Section("regions", _("Regions where you would work"), ARRIVAL, RegionsForm),
    Section(DOCUMENTS, _("Documents"), FINISH, None, requires=("job_offer",)),
    Section("declarations", _("Declarations"), FINISH, VisaDeclarationsForm),
)


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
    if (as_int(answers.get("publications")) or 0) > 0 or (as_int(answers.get("patents")) or 0) > 0:
        return "national"
    return "national" if (answers.get("awards") or "").strip() else "none"


def _level(language: str) -> Callable[[FactInput], str | None]:
    return lambda d: CEFR.get(d.section("languages").get(language, ""))


FACTS: tuple[Fact, ...] = (
    *COMMON_FACTS,
    Fact("sector", lambda d: d.sector or d.section("sector").get("sector")),
    Fact("education", lambda d: d.section("education").get("education_level")),
    Fact("experience_years", lambda d: as_int(d.section("experience").get("years_experience"))),
    Fact("achievements", lambda d: _achievement_level(d.section("achievements"))),
    Fact("has_job_offer", lambda d: {"yes": True, "no": False}.get(d.section("job_offer").get("has_offer"))),
    Fact("monthly_salary_kzt", lambda d: as_int(d.section("job_offer").get("monthly_salary_kzt"))),
    # The named employer's answer to the confirmation request (applications/employers).
    Fact("offer_confirmed_by_employer", lambda d: d.offer_confirmed),
    Fact("kazakh_level", _level("kazakh")),
    Fact("russian_level", _level("russian")),
    Fact("english_level", _level("english")),
)


def required_documents(track: str, answers: Mapping[str, Any]) -> tuple[str, ...]:
    kinds: tuple[str, ...] = (K.PASSPORT, K.PHOTO, K.DIPLOMA, K.EMPLOYMENT_EVIDENCE)
    if (answers.get("job_offer") or {}).get("has_offer") == "yes":
        kinds = (*kinds, K.OFFER_LETTER)
    return kinds


def indexed(completed: Callable[[str], dict], track: str) -> IndexedValues:
    return IndexedValues(
        region_code=(completed("regions").get("regions") or [None])[0],
        sector=completed("sector").get("sector", ""),
        occupation_code=completed("occupation").get("occupation_code", ""),
    )


def named_employer(completed: Callable[[str], dict], track: str) -> NamedEmployer | None:
    """The job offer's employer, asked to confirm it; the occupation is the offer's ISCO code."""
    offer = completed("job_offer")
    if offer.get("has_offer") != "yes" or not offer.get("employer_bin"):
        return None
    return NamedEmployer(
        bin=offer["employer_bin"],
        isco_code=completed("occupation").get("occupation_code", ""),
        monthly_salary_kzt=as_int(offer.get("monthly_salary_kzt")),
        region_codes=tuple(completed("regions").get("regions") or ()),
    )


SKILLS_VISA = register(
    ProductDeclaration(
        code=Product.SKILLS_VISA,
        label=Product.SKILLS_VISA.label,
        reference_prefix="VS",
        sections=SECTIONS,
        facts=FACTS,
        required_documents=required_documents,
        optional_documents=(K.ACHIEVEMENT, K.OTHER),
        indexed=indexed,
        named_employer=named_employer,
        validity_years=env_int("SKILLS_VISA_VALIDITY_YEARS", 5),
        sla_working_days=env_int("CASEWORK_SLA_SKILLS_DAYS", 10),
        summary=(
            _(
                "For foreigners, ethnic Kazakhs included, with skills Kazakhstan needs in science, education, "
                "healthcare, industry, IT, sports or culture."
            ),
            _(
                "You get points for education, experience, achievements, a job offer and languages; scarce "
                "professions get extra points."
            ),
        ),
        rights={
            CardShareCode.Purpose.WORK: _(
                "Holds a visa with a residence permit for skilled work in Kazakhstan, for the validity of the visa."
            ),
            CardShareCode.Purpose.RENT: _("Holds a residence permit: may rent housing in Kazakhstan."),
            CardShareCode.Purpose.SERVICES: _(
                "Holds a residence permit: may open bank accounts and use public services as a resident."
            ),
        },
    )
)
