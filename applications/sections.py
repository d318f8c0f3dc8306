"""The task list: which sections each product has, their forms, order and dependencies.

Read top to bottom, this is the application form of each product. Plain data and plain
functions (no ORM writes): services save answers, selectors compute statuses.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications import forms
from applications.models import Document
from eligibility.products import Product

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START = "cannot_start"

STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    COMPLETED: _("Completed"),
    CANNOT_START: _("Cannot start yet"),
}
STATUS_TAGS = {NOT_STARTED: "tag--grey", IN_PROGRESS: "tag--yellow", COMPLETED: "tag--green", CANNOT_START: "tag--grey"}

DOCUMENTS = "documents"
FAMILY = "family"
# Where save-and-return progress is kept inside Application.answers (not an answer itself).
PROGRESS_KEY = "_progress"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str | Promise
    group: str | Promise
    form_class: type | None = None  # None: a page of its own (documents, family)
    tracks: tuple[str, ...] = ()  # empty: every track
    requires: tuple[str, ...] = ()  # sections to complete first ("cannot start yet")


ABOUT_YOU = _("About you")
YOUR_CASE = _("Your case")
ARRIVAL = _("Coming to Kazakhstan")
FINISH = _("Documents and declarations")

KANDAS_SECTIONS: tuple[Section, ...] = (
    Section("personal", _("Personal details"), ABOUT_YOU, forms.PersonalForm),
    Section("passport", _("Passport"), ABOUT_YOU, forms.PassportForm),
    Section("ethnicity", _("Evidence of Kazakh ethnicity"), ABOUT_YOU, forms.EthnicityForm),
    Section("contact", _("Contact details and address abroad"), ABOUT_YOU, forms.ContactForm),
    Section("track", _("Professional or business"), YOUR_CASE, forms.TrackForm),
    Section(
        "profession", _("Profession"), YOUR_CASE, forms.ProfessionForm, tracks=("professional",), requires=("track",)
    ),
    Section("business", _("Business case"), YOUR_CASE, forms.BusinessForm, tracks=("business",), requires=("track",)),
    Section("region", _("Region of arrival"), ARRIVAL, forms.RegionForm),
    Section(FAMILY, _("Family members coming with you"), ARRIVAL, None),
    Section(DOCUMENTS, _("Documents"), FINISH, None, requires=("track",)),
    Section("declarations", _("Declarations"), FINISH, forms.KandasDeclarationsForm),
)

VISA_SECTIONS: tuple[Section, ...] = (
    Section("personal", _("Personal details"), ABOUT_YOU, forms.PersonalForm),
    Section("passport", _("Passport"), ABOUT_YOU, forms.PassportForm),
    Section("contact", _("Contact details and address abroad"), ABOUT_YOU, forms.ContactForm),
    Section("sector", _("Sector"), YOUR_CASE, forms.SectorForm),
    Section("occupation", _("Occupation"), YOUR_CASE, forms.OccupationForm),
    Section("education", _("Education"), YOUR_CASE, forms.EducationForm),
    Section("experience", _("Work experience"), YOUR_CASE, forms.ExperienceForm),
    Section("achievements", _("Achievements"), YOUR_CASE, forms.AchievementsForm),
    Section("job_offer", _("Job offer or invitation"), YOUR_CASE, forms.JobOfferForm),
    Section("languages", _("Languages"), YOUR_CASE, forms.LanguagesForm),
    Section("regions", _("Regions where you would work"), ARRIVAL, forms.RegionsForm),
    Section(DOCUMENTS, _("Documents"), FINISH, None, requires=("job_offer",)),
    Section("declarations", _("Declarations"), FINISH, forms.VisaDeclarationsForm),
)

SECTIONS_BY_PRODUCT = {Product.KANDAS_CARD: KANDAS_SECTIONS, Product.SKILLS_VISA: VISA_SECTIONS}

K = Document.Kind
# Documents each product and track needs (the policy's list; "other" and achievements optional).
REQUIRED_DOCUMENTS = {
    (Product.KANDAS_CARD, "professional"): (
        K.PASSPORT,
        K.PHOTO,
        K.ETHNICITY_EVIDENCE,
        K.DIPLOMA,
        K.EMPLOYMENT_EVIDENCE,
    ),
    (Product.KANDAS_CARD, "business"): (
        K.PASSPORT,
        K.PHOTO,
        K.ETHNICITY_EVIDENCE,
        K.BUSINESS_REGISTRATION,
        K.BUSINESS_ACCOUNTS,
    ),
    (Product.SKILLS_VISA, ""): (K.PASSPORT, K.PHOTO, K.DIPLOMA, K.EMPLOYMENT_EVIDENCE),
}
OPTIONAL_DOCUMENTS = (K.ACHIEVEMENT, K.OTHER)


def sections_for(product: str, track: str = "") -> list[Section]:
    """The sections that apply to this product and track, in task-list order."""
    return [s for s in SECTIONS_BY_PRODUCT[Product(product)] if not s.tracks or track in s.tracks]


def section_named(product: str, slug: str) -> Section | None:
    return next((s for s in SECTIONS_BY_PRODUCT[Product(product)] if s.slug == slug), None)


def required_document_kinds(product: str, track: str, answers: dict) -> tuple[str, ...]:
    """Kinds of document the application must have before it can be submitted."""
    if product == Product.KANDAS_CARD:
        if not track:
            return ()
        return REQUIRED_DOCUMENTS[(Product.KANDAS_CARD, track)]
    kinds = REQUIRED_DOCUMENTS[(Product.SKILLS_VISA, "")]
    if (answers.get("job_offer") or {}).get("has_offer") == "yes":
        kinds = (*kinds, K.OFFER_LETTER)
    return kinds


def uploadable_document_kinds(product: str, track: str, answers: dict) -> tuple[str, ...]:
    return (*required_document_kinds(product, track, answers), *OPTIONAL_DOCUMENTS)
