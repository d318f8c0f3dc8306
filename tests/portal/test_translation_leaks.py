"""Translation-leak check: a key page in kk/ru/uz/zh-hans has no visible sentence left in English.

Each page is rendered in English and in the other language; a visible text node of three or
more words that reads the same in both is English that was never translated (or a code),
unless it is on the allow-list (names, numbers, addresses, e-mail addresses, references).
Applicant pages are checked in all four languages, staff pages in Kazakh and Russian.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from applications.casework.services import case_claim
from applications.demo_seed import seed_applications
from applications.models import Application, Queue
from applications.states import State
from eligibility.occupations import has_own_titles, occupation_choices
from tests.applications.casework.conftest import build_case
from tests.eligibility.db_helpers import seed_set
from tests.eligibility.test_self_check import KANDAS_ANSWERS

pytestmark = pytest.mark.django_db

APPLICANT_LANGUAGES = ["kk", "ru", "uz", "zh-hans"]
STAFF_LANGUAGES = ["kk", "ru"]
# Text that is the same in every language: proper names, the ISCO source, e-mail addresses.
ALLOWED = [
    re.compile(r"^[\w.+-]+@[\w.-]+$"),
    re.compile(r"^[\d\s.,:;/+()%–—-]+$"),
    re.compile(r"ISCO-08|ESCO|International Labour Organization|European Commission"),
    re.compile(r"^(Applicant \d+|Aigerim Nurlanqyzy|ACME LLP)"),
    re.compile(r"^[A-Z]{2}-\d{4}-\d{6}( — [^\W\d_][\w .'-]*)?$"),  # a reference, with the applicant's name
]


class _Text(HTMLParser):
    SKIP = {"script", "style", "template", "code", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if not self._skip and len(text.split()) >= 3:
            self.nodes.append(text)


def visible_sentences(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return set(parser.nodes)


def leaks(client, url: str, language: str, settings, data: dict | None = None) -> list[str]:
    """Sentences shown alike in English and ``language`` (a GET, or a POST of ``data``)."""

    def fetch():
        return client.get(url) if data is None else client.post(url, data)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = fetch()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    other = fetch()
    assert english.status_code == other.status_code, (url, english.status_code, other.status_code)
    assert english.status_code in (200, 400), (url, english.status_code)
    same = visible_sentences(english.content.decode()) & visible_sentences(other.content.decode())
    return sorted(text for text in same if not any(rule.search(text) for rule in ALLOWED))


@pytest.fixture
def submitted(applicant):
    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    return build_case(applicant, state=State.SUBMITTED, applicant_name="Aigerim Nurlanqyzy")


APPLICANT_PAGES = {
    "start": lambda app: reverse("portal:start"),
    "self-check": lambda app: reverse("eligibility:self_check_start"),
    "sign-in": lambda app: reverse("login"),
    "sign-up": lambda app: reverse("accounts:signup"),
    "applications": lambda app: reverse("applications:list"),
    "status": lambda app: reverse("applications:status", args=[app.pk]),
    "notifications": lambda app: reverse("notifications:list"),
}


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("page", list(APPLICANT_PAGES))
def test_applicant_pages_have_no_english_left(client, applicant, submitted, settings, language, page):
    if page not in ("start", "self-check", "sign-in", "sign-up"):
        client.force_login(applicant)
    assert leaks(client, APPLICANT_PAGES[page](submitted), language, settings) == []


@pytest.fixture
def staff_case(caseworker, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    seed_applications(8)
    case = Application.objects.filter(state=State.SUBMITTED).order_by("pk").first()
    case_claim(application=case, actor=caseworker)
    return case


STAFF_PAGES = {
    "dashboard": lambda case: reverse("portal:dashboard"),
    "staff-home": lambda case: reverse("staff:home"),
    "queue": lambda case: reverse("casework:queue"),
    "case": lambda case: reverse("casework:case", args=[case.pk]),
}


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
@pytest.mark.parametrize("page", list(STAFF_PAGES))
def test_staff_pages_have_no_english_left(client, caseworker, staff_case, settings, language, page):
    client.force_login(caseworker)
    # What the applicant typed (an address, achievements) is shown as typed, in any language,
    # and so are the names administrators gave the queues.
    typed = set(_strings(staff_case.answers)) | set(Queue.objects.values_list("name", flat=True))
    found = [text for text in leaks(client, STAFF_PAGES[page](staff_case), language, settings) if text not in typed]
    assert without_english_isco_titles(found, language) == []


def without_english_isco_titles(found: list[str], language: str) -> list[str]:
    """ISCO-08 unit-group titles are English while no official title file for the language (or
    its fallback) ships (eligibility/data/README.md, section 4): allowed only until then, so
    every other English sentence still fails, and the titles fail once a file is there."""
    if has_own_titles(language):
        return found
    english_titles = {label for _code, label in occupation_choices("en")}
    return [text for text in found if text not in english_titles]


# Regions have official names in kk, ru and en only (eligibility/data/README.md): Uzbek and
# Chinese pages show the English ones until names in those languages are sourced (issue 16, open).
REGION_NAMES_EN = {"uz": ("East Kazakhstan Region", "North Kazakhstan Region", "West Kazakhstan Region")}
REGION_NAMES_EN["zh-hans"] = REGION_NAMES_EN["uz"]


@pytest.fixture
def published_criteria(db):
    return {product: seed_set(product) for product in ("kandas_card", "skills_visa")}


CITIZENSHIP = {"action": "next", "ethnic_kazakh_proof": "yes"}
# The Kandas Card self-check: (query string, posted answers or None for a GET).
SELF_CHECK_PAGES = {
    "first question": ("", None),
    "citizenship": ("", {**CITIZENSHIP, "step": 0}),
    "citizenship refused": ("", {**CITIZENSHIP, "step": 1, "citizenship": "5"}),
    "all questions": ("?all=1", None),
    "result": ("", {**KANDAS_ANSWERS, "citizenship": "Казахстан"}),
}


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("page", list(SELF_CHECK_PAGES))
def test_self_check_pages_have_no_english_left(client, published_criteria, settings, language, page):
    query, data = SELF_CHECK_PAGES[page]
    url = reverse("eligibility:self_check", args=["kandas_card"]) + query
    found = leaks(client, url, language, settings, data=data)
    found = [text for text in found if text not in REGION_NAMES_EN.get(language, ())]
    assert without_english_isco_titles(found, language) == []


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [" ".join(value.split())] if isinstance(value, str) else []


@pytest.fixture
def audited(auditor, staff_case, django_capture_on_commit_callbacks):
    """A finished check of the audit trail, so the verification page shows a result."""
    from portal.audit.verification import audit_verification_request

    with django_capture_on_commit_callbacks(execute=True):
        audit_verification_request(actor=auditor)
    return staff_case


AUDITOR_PAGES = {
    "auditor-home": lambda case: reverse("staff:home"),
    "case-search": lambda case: reverse("staff:case_search") + f"?q={case.reference}",
    "audit-verify": lambda case: reverse("audit:verify"),
    "audit-export": lambda case: reverse("audit:export"),
}


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
@pytest.mark.parametrize("page", list(AUDITOR_PAGES))
def test_auditor_pages_have_no_english_left(client, auditor, audited, settings, language, page):
    client.force_login(auditor)
    found = leaks(client, AUDITOR_PAGES[page](audited), language, settings)
    assert found == []


def _passport_read(application, **data) -> None:
    """A processed passport scan whose MRZ differs from the answers (the planted typo)."""
    from django.core.files.base import ContentFile

    from applications.documents.mrz import mrz_parse
    from applications.documents.specimen import PassportData
    from applications.models import Document

    Document.objects.create(
        application=application,
        kind=Document.Kind.PASSPORT,
        original_name="passport.jpg",
        file=ContentFile(b"scan", name="passport.jpg"),
        status=Document.Status.READY,
        mrz={**mrz_parse(PassportData(**data).mrz_lines()).as_dict(), "confidence": 0.97},
    )


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_the_mrz_notice_before_check_your_answers_has_no_english_left(client, applicant, settings, language):
    from datetime import date

    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    draft = build_case(applicant, state=State.DRAFT, applicant_name="Aigerim Nurlanqyzy")
    draft.answers = {
        "personal": {"family_name_latin": "NURLANQYZY", "date_of_birth": "1990-05-27", "citizenship": "KZ"},
        "passport": {"passport_number": "N12345678", "passport_expires_on": "2031-01-01"},
    }
    draft.save(update_fields=["answers"])
    _passport_read(draft, number="N12345679", expiry=date(2020, 1, 1), nationality="UZB")
    client.force_login(applicant)
    found = leaks(client, reverse("applications:check", args=[draft.pk]), language, settings)
    assert found == []


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_the_case_pages_mrz_panel_has_no_english_left(client, caseworker, staff_case, settings, language):
    _passport_read(staff_case, given_names="SOMEONE ELSE")
    client.force_login(caseworker)
    typed = set(_strings(staff_case.answers)) | set(Queue.objects.values_list("name", flat=True))
    found = [text for text in leaks(client, reverse("casework:case", args=[staff_case.pk]), language, settings)]
    assert without_english_isco_titles([t for t in found if t not in typed], language) == []
