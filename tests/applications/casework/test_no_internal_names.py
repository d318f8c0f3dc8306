"""Staff pages show words, never internal names: audit codes, state codes, answer keys,
region codes, table names, role codes or Python reprs of lists."""

import re

import pytest
from django.urls import reverse

from applications.casework.services import case_claim, rfi_create
from applications.demo_seed import seed_applications
from applications.history import ACTION_LABELS, history_text
from applications.models import Application
from applications.states import State
from applications.workflow import ACTIONS
from portal.audit.models import AuditEvent
from portal.audit.record import audit_record
from tests.services import ROOT

pytestmark = pytest.mark.django_db

LEAKS = [
    re.compile(r"\b[a-z]+\.[a-z_]+ \("),  # an audit code followed by states: "document.upload ("
    re.compile(r"\b(given_names_latin|surname_latin|_progress|date_of_birth|passport_number)\b"),
    re.compile(r"\bKZ-\d\d\b"),
    re.compile(r"scarce_professions"),
    re.compile(r"\[&#x27;|\['"),  # a Python list repr
    re.compile(r"\b(criteria_admin|senior_caseworker|awaiting_applicant|in_review)\b"),
]


def _visible(html: str) -> str:
    """The text a person reads (tags, attributes, scripts and styles removed)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_every_audit_action_the_code_writes_has_words():
    written = set(ACTIONS)
    for path in [*(ROOT / "applications").rglob("*.py"), *(ROOT / "portal").rglob("*.py")]:
        if "migrations" in path.parts:
            continue
        written |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)?)"', path.read_text(encoding="utf-8")))
        written |= set(re.findall(r'"(document\.[a-z_]+)"\)', path.read_text(encoding="utf-8")))
    application_only = {a for a in written if not a.startswith(("criteria.", "rating.", "region_year.", "api_token."))}
    application_only -= {"append", "store_true"}
    # The employer state tables' steps: written as "<model>.<step>" (joboffer.confirm...).
    from applications.employers.transitions import EMPLOYMENT_TRANSITIONS, OFFER_TRANSITIONS

    steps = {("joboffer", step) for _state, step in OFFER_TRANSITIONS} | {
        ("employment", step) for _state, step in EMPLOYMENT_TRANSITIONS
    }
    application_only -= {step for _model, step in steps}
    application_only |= {f"{model}.{step}" for model, step in steps}
    assert sorted(application_only - set(ACTION_LABELS)) == []


def test_history_reads_in_words_in_kazakh(caseworker, applicant):
    from django.utils import translation

    app = Application.objects.create(product="kandas_card", owner=applicant, applicant_name="A")
    event = audit_record(actor=applicant, action="document.upload", obj=app, from_state="", to_state="")
    moved = AuditEvent(action="start_review", from_state=State.SUBMITTED, to_state=State.IN_REVIEW)
    with translation.override("en"):
        assert history_text(event) == "Document uploaded"
        assert history_text(moved) == "Review started (Submitted → In review)"
    with translation.override("kk"):
        assert "start_review" not in history_text(moved) and "submitted" not in history_text(moved)


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_the_case_page_has_no_internal_names(client, caseworker, settings, tmp_path, language):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    seed_applications(12)
    case = Application.objects.filter(state=State.SUBMITTED).order_by("pk").first()
    case_claim(application=case, actor=caseworker)
    rfi_create(application=case, actor=caseworker, text="Diploma, please", document_kinds=["diploma"])
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = _visible(client.get(reverse("casework:case", args=[case.pk])).content.decode())
    assert case.applicant_name in page
    for leak in LEAKS:
        assert not leak.search(page), (leak.pattern, leak.search(page).group(0))


def test_the_dashboard_names_roles_in_words(client, criteria_admin, settings):
    client.force_login(criteria_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Criteria administrator" in page and "criteria_admin" not in _visible(page)
