"""Translation-leak check: a key page in kk/ru/uz/zh-hans has no visible sentence left in English.

Each page is rendered in English and in the other language; a visible text node of three or
more words that reads the same in both is English that was never translated (or a code),
unless it is on the allow-list (names, numbers, addresses, e-mail addresses, references).
Applicant pages are checked in all four languages, staff pages in Kazakh and Russian.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.casework.services import case_claim
from applications.demo_seed import seed_applications
from applications.models import Application, PhoneNumber, Queue
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
    re.compile(r"^[A-Z]{2} \d{2} \d{6} \d{2}$"),  # a card number as printed
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
    "start now": lambda app: reverse("portal:start_choice"),
    "qr check": lambda app: reverse("verify:scan"),
    "self-check": lambda app: reverse("eligibility:self_check_start"),
    "statistics": lambda app: reverse("statistics:statistics"),
    "quotas": lambda app: reverse("statistics:quotas"),
    "sign-in": lambda app: reverse("login"),
    "sign-up": lambda app: reverse("accounts:signup"),
    "applications": lambda app: reverse("applications:list"),
    "status": lambda app: reverse("applications:status", args=[app.pk]),
    "notifications": lambda app: reverse("notifications:list"),
    "phone": lambda app: _with_phone(app, reverse("sms:phone")),
    "phone-confirm": lambda app: _with_phone(app, reverse("sms:verify")),
}


def _with_phone(app, url: str) -> str:
    """The owner has a confirmed number and a new one waiting for its code (every part of the pages)."""
    now = timezone.now()
    PhoneNumber.objects.create(
        user=app.owner,
        number="+77011234567",
        verified_at=now,
        pending_number="+998901234567",
        code_hash="0" * 64,
        code_sent_at=now,
        code_expires_at=now + timedelta(minutes=10),
    )
    return url


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize(("page", "data"), [("sms:phone", {"number": "12"}), ("sms:phone", {"number": "+77172123456"})])
def test_phone_page_errors_have_no_english_left(client, applicant, settings, language, page, data):
    client.force_login(applicant)
    assert leaks(client, reverse(page), language, settings, data) == []


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("page", list(APPLICANT_PAGES))
def test_applicant_pages_have_no_english_left(client, applicant, submitted, settings, language, page):
    if page not in ("start", "start now", "qr check", "self-check", "sign-in", "sign-up"):
        client.force_login(applicant)
    assert leaks(client, APPLICANT_PAGES[page](submitted), language, settings) == []


@pytest.fixture
def holder_card(applicant, settings):
    """A card of the applicant, a year old, with an absence imported and one declared."""
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import IssuedCard
    from applications.stay.models import BorderRecord
    from tests.api.conftest import issue_card

    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    card = issue_card(settings, applicant)
    today = timezone.localdate()
    IssuedCard.objects.filter(pk=card.pk).update(valid_from=today - timedelta(days=400))
    for direction, days_ago, source in (("exit", 100, "import"), ("entry", 80, "import"), ("exit", 5, "declaration")):
        BorderRecord.objects.create(
            holder=applicant, card=card, direction=direction, crossed_on=today - timedelta(days=days_ago), source=source
        )
    return card


# The holder's stay (applications/stay/): the card page's summary, the timeline, the declaration.
HOLDER_PAGES = {
    "card": lambda card: reverse("cards:detail", args=[card.number]),
    "stay": lambda card: reverse("stay:timeline", args=[card.number]),
    "declare": lambda card: reverse("stay:declare", args=[card.number]),
}


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("page", list(HOLDER_PAGES))
def test_holder_stay_pages_have_no_english_left(client, applicant, holder_card, settings, language, page):
    client.force_login(applicant)
    assert leaks(client, HOLDER_PAGES[page](holder_card), language, settings) == []


def test_the_declaration_errors_have_no_english_left(client, applicant, holder_card, settings):
    client.force_login(applicant)
    url = reverse("stay:declare", args=[holder_card.number])
    data = {"left_on": "2026-03-10", "returned_on": "2026-03-01"}
    for language in APPLICANT_LANGUAGES:
        assert leaks(client, url, language, settings, data=data) == []


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


@pytest.fixture
def rating_proposal(criteria_admin):
    """A proposal from the small synthetic dataset, against a rating with one row in force."""
    from eligibility.labour_market.models import ShortageModel
    from eligibility.labour_market.services import proposal_create, proposal_row_edit
    from eligibility.models import ScarceProfession
    from tests.eligibility.labour_market.helpers import import_small

    ScarceProfession.objects.create(occupation_id="9111", year=2026, sector="other", priority=2)
    proposal = proposal_create(
        year=2027, data_import=import_small(), shortage_model=ShortageModel.objects.get(), actor=criteria_admin
    )
    row = proposal.rows.get(region=None, occupation_id="2512")
    proposal_row_edit(row=row, priority=2, sector="it", reason="Местные данные", actor=criteria_admin)
    return proposal


CRITERIA_ADMIN_PAGES = {
    "rating-proposals": lambda p: (reverse("labour_market:proposals"), None),
    "rating-proposal": lambda p: (reverse("labour_market:proposal", args=[p.pk]) + "?all=1", None),
    "rating-proposal-region": lambda p: (reverse("labour_market:proposal", args=[p.pk]) + "?region=KZ-59", None),
    "rating-row": lambda p: (
        reverse("labour_market:row_edit", args=[p.pk, p.rows.get(region=None, occupation_id="2221").pk]),
        None,
    ),
    "rating-approve": lambda p: (reverse("labour_market:proposal_action", args=[p.pk, "approve"]), {}),
}


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
@pytest.mark.parametrize("page", list(CRITERIA_ADMIN_PAGES))
def test_criteria_admin_rating_pages_have_no_english_left(
    client, criteria_admin, rating_proposal, settings, language, page
):
    client.force_login(criteria_admin)
    url, data = CRITERIA_ADMIN_PAGES[page](rating_proposal)
    found = leaks(client, url, language, settings, data)
    assert without_english_isco_titles(found, language) == []


@pytest.fixture
def quota_proposal(criteria_admin):
    """A quota proposal from the small synthetic dataset, with uptake, a quota in force and an edit."""
    from eligibility.labour_market.quota_services import quota_proposal_create, quota_proposal_row_edit
    from eligibility.models import Quota
    from tests.eligibility.labour_market.helpers import import_small

    Quota.objects.create(product="skills_visa", year=2026, sector="education", region_id="KZ-59", places=4, used=4)
    Quota.objects.create(product="skills_visa", year=2026, sector="sports", region_id="KZ-11", places=3)
    proposal = quota_proposal_create(
        product="skills_visa",
        year=2027,
        data_import=import_small(),
        settings={},
        actor=criteria_admin,
        uptake={("education", "KZ-59"): {"approved": 4, "waiting": 6}},
    )
    row = proposal.rows.get(sector="education", region_id="KZ-59")
    quota_proposal_row_edit(row=row, places=row.places + 5, reason="Местные данные", actor=criteria_admin)
    return proposal


QUOTA_PROPOSAL_PAGES = {
    "quota-proposals": lambda p: (reverse("labour_market:quota_proposals"), None),
    "quota-proposal": lambda p: (reverse("labour_market:quota_proposal", args=[p.pk]) + "?all=1", None),
    "quota-row": lambda p: (
        reverse("labour_market:quota_row_edit", args=[p.pk, p.rows.get(sector="education", region_id="KZ-59").pk]),
        None,
    ),
    "quota-approve": lambda p: (reverse("labour_market:quota_proposal_action", args=[p.pk, "approve"]), {}),
}


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
@pytest.mark.parametrize("page", list(QUOTA_PROPOSAL_PAGES))
def test_criteria_admin_quota_proposal_pages_have_no_english_left(
    client, criteria_admin, quota_proposal, settings, language, page
):
    client.force_login(criteria_admin)
    url, data = QUOTA_PROPOSAL_PAGES[page](quota_proposal)
    found = leaks(client, url, language, settings, data)
    assert without_english_isco_titles(found, language) == []


# --------------------------------------------------------------------------- score tables
# Criteria labels are short ("Age", "Scarce profession", "18 to 35"): the three-word rule above
# would let them through, so the score tables are checked word for word.


def _table_texts(html: str, start: str) -> set[str]:
    """Every text node of the first table after ``start`` (a marker in the page), numbers aside."""
    table = html.split(start, 1)[1].split("<table", 1)[1].split("</table>", 1)[0]
    parser = _Text()
    parser.handle_data = lambda data: parser.nodes.append(" ".join(data.split()))  # type: ignore[method-assign]
    parser.feed("<table" + table)
    return {text for text in parser.nodes if text and not ALLOWED[1].search(text)}


def _same_in_both(client, url: str, language: str, settings, start: str, data: dict | None = None) -> list[str]:
    def table(lang: str) -> set[str]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 200, (url, lang, response.status_code)
        return _table_texts(response.content.decode(), start)

    english = table("en")
    assert len(english) >= 6, english  # the table is there, with its factors and rules
    return sorted(english & table(language))


@pytest.fixture
def scored(applicant, published_criteria):
    """A submitted Valuable Skills Visa application scored against the published example set."""
    from django.utils import timezone

    from applications.scoring.services import application_score
    from tests.eligibility.db_helpers import skills_answers, submitted_application

    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    app = submitted_application(
        applicant,
        "skills_visa",
        skills_answers(5),
        reference="VS-2026-000099",
        applicant_name="Aigerim Nurlanqyzy",
        submitted_at=timezone.now(),
    )
    application_score(application=app)
    return app


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_the_applicants_score_table_has_no_english_label(client, applicant, scored, settings, language):
    client.force_login(applicant)
    url = reverse("applications:status", args=[scored.pk])
    assert _same_in_both(client, url, language, settings, start="<h1") == []


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_the_self_check_score_table_has_no_english_label(client, published_criteria, settings, language):
    url = reverse("eligibility:self_check", args=["kandas_card"])
    data = {**KANDAS_ANSWERS, "citizenship": "UZ"}
    found = _same_in_both(client, url, language, settings, start="<h1", data=data)
    # The answers column names the occupation and the region: see the exceptions above.
    found = [text for text in found if text not in REGION_NAMES_EN.get(language, ())]
    assert without_english_isco_titles(found, language) == []


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_the_case_page_score_has_no_english_label(client, caseworker, scored, settings, language):
    from applications.casework.services import case_claim

    case_claim(application=scored, actor=caseworker)
    client.force_login(caseworker)
    url = reverse("casework:case", args=[scored.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    other = client.get(url).content.decode()
    labels = {line["label"] for line in _english_score_rows(scored)} | {r["rule"] for r in _english_score_rows(scored)}
    labels.discard("")
    assert labels and all(label in english for label in labels)
    assert sorted(label for label in labels if f">{label}<" in other or f"— {label}<" in other) == []


def _english_score_rows(application) -> list[dict]:
    from django.utils import translation

    from applications.selectors import score_breakdown

    with translation.override("en"):
        return score_breakdown(application)


# Administrative review (issue 19): the refused applicant's pages and the reviewing senior's case page.
@pytest.fixture
def refused_cases(applicant, caseworker, senior):
    from tests.applications.casework.conftest import refused, review_asked
    from tests.conftest import _join_all_cases_queue, _user

    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    deciding = _join_all_cases_queue(_user("deciding.senior@example.kz", "senior_caseworker", staff=True), senior=True)
    refused_app = build_case(applicant, state=State.REFUSED, applicant_name="Aigerim Nurlanqyzy")
    refused(refused_app, recommended_by=caseworker, confirmed_by=deciding)
    asked = build_case(applicant, state=State.REVIEW_REQUESTED, applicant_name="Aigerim Nurlanqyzy")
    review_asked(asked, refused(asked, recommended_by=caseworker, confirmed_by=deciding))
    return {"refused": refused_app, "asked": asked}


REVIEW_PAGES = {
    "refused-status": lambda cases: reverse("applications:status", args=[cases["refused"].pk]),
    "review-request": lambda cases: reverse("applications:review", args=[cases["refused"].pk]),
    "review-requested-status": lambda cases: reverse("applications:status", args=[cases["asked"].pk]),
    "review-withdraw": lambda cases: reverse("applications:review_withdraw", args=[cases["asked"].pk]),
}


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("page", list(REVIEW_PAGES))
def test_review_pages_have_no_english_left(client, applicant, refused_cases, settings, language, page):
    client.force_login(applicant)
    assert leaks(client, REVIEW_PAGES[page](refused_cases), language, settings) == []


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_the_review_request_errors_have_no_english_left(client, applicant, refused_cases, settings, language):
    client.force_login(applicant)
    url = reverse("applications:review", args=[refused_cases["refused"].pk])
    assert leaks(client, url, language, settings, data={"grounds": ""}) == []


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_the_review_case_page_has_no_english_left(client, senior, refused_cases, settings, language):
    client.force_login(senior)
    found = leaks(client, reverse("casework:case", args=[refused_cases["asked"].pk]), language, settings)
    # The applicant's grounds and the refusal's reasons are shown as typed.
    assert [text for text in found if text not in ("The score missed my degree.", "Reasons")] == []


@pytest.fixture
def refused_case(applicant):
    """A refused Kandas case scored with hints (the status page's criteria version and hints)."""
    from eligibility.services import evaluator_for
    from tests.applications.applicant.test_status_outcomes import FACTS

    applicant.email_verified_at = applicant.date_joined
    applicant.save(update_fields=["email_verified_at"])
    criteria = seed_set("kandas_card")
    result = evaluator_for(criteria).evaluate(FACTS)
    return build_case(applicant, state=State.REFUSED, criteria_set=criteria, score_detail=result.to_dict())


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_a_refusal_with_its_criteria_and_hints_has_no_english_left(client, applicant, refused_case, settings, language):
    client.force_login(applicant)
    url = reverse("applications:status", args=[refused_case.pk])
    assert leaks(client, url, language, settings) == []


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


# --- employers (issue 19) ----------------------------------------------------------------

EMPLOYER_SIGN_UP_ERRORS = {"legal_name": "", "bin": "980440001233", "email": "x", "preferred_language": "ru"}


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
@pytest.mark.parametrize("data", [None, EMPLOYER_SIGN_UP_ERRORS], ids=["page", "errors"])
def test_employer_sign_up_has_no_english_left(client, settings, language, data):
    found = leaks(client, reverse("employers:signup"), language, settings, data=data)
    assert [text for text in found if text not in REGION_NAMES_EN.get(language, ())] == []


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_the_employers_organisation_page_has_no_english_left(client, employer, settings, language):
    employer.email_verified_at = timezone.now()
    employer.save(update_fields=["email_verified_at"])
    client.force_login(employer)
    assert leaks(client, reverse("employers:organisation"), language, settings) == []


EMPLOYER_STAFF_PAGES = {
    "list": lambda organisation: (reverse("employers:verification_list"), None),
    "verification": lambda organisation: (reverse("employers:verification", args=[organisation.pk]), None),
    "refusal without reason": lambda organisation: (
        reverse("employers:verification", args=[organisation.pk]),
        {"decision": "refuse"},
    ),
    "confirmation": lambda organisation: (
        reverse("employers:verification", args=[organisation.pk]),
        {"decision": "verify"},
    ),
}


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
@pytest.mark.parametrize("page", list(EMPLOYER_STAFF_PAGES))
def test_employer_verification_pages_have_no_english_left(client, criteria_admin, employer, settings, language, page):
    from applications.employers.models import Employer

    Employer.objects.filter(contact=employer).update(status=Employer.Status.PENDING)
    client.force_login(criteria_admin)
    url, data = EMPLOYER_STAFF_PAGES[page](Employer.objects.get(contact=employer))
    assert leaks(client, url, language, settings, data=data) == []


# --- forecasts and scenarios (issue 17) --------------------------------------------------


@pytest.fixture
def forecast_run(applicant):
    """A real refit: one region with 40 weeks of history (fitted), every other series too short."""
    from applications.forecasts.series import current_week
    from applications.forecasts.services import forecasts_refit
    from eligibility.models import Quota
    from tests.applications.forecasts.helpers import weekly_history

    seed_set("skills_visa")
    weekly_history(applicant, weeks=40, per_week=lambda i: 1 + i % 2)
    year = current_week().year
    Quota.objects.create(product="skills_visa", year=year, sector="it", places=40, used=30)
    Quota.objects.create(product="skills_visa", year=year, region_id="KZ-55", places=500)
    return forecasts_refit()


FORECAST_PAGES = {
    "forecasts": lambda: reverse("forecasts:list"),
    "forecasts-every-region": lambda: reverse("forecasts:list") + "?product=skills_visa&region=*",
    "scenario-form": lambda: reverse("forecasts:scenario"),
    "scenario-result": lambda: (
        reverse("forecasts:scenario")
        + f"?product=skills_visa&year={timezone.localdate().year}&pass_mark=60&quota_change_percent=-20"
    ),
    "scenario-errors": lambda: reverse("forecasts:scenario") + "?product=nope&year=1&quota_change_percent=99999",
}


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
@pytest.mark.parametrize("page", list(FORECAST_PAGES))
def test_forecast_pages_have_no_english_left(client, auditor, forecast_run, settings, language, page):
    client.force_login(auditor)
    found = leaks(client, FORECAST_PAGES[page](), language, settings)
    assert [text for text in found if text not in REGION_NAMES_EN.get(language, ())] == []
