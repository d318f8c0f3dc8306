"""Masking as docs/privacy.md says: every role over every page and endpoint that shows a
passport number or a date of birth. Caseworkers and seniors (who check identity) and the
applicant (their own data) see them in full; everyone else who may open the page sees them
masked (portal.privacy is the one place that decides)."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from applications.models import Application
from applications.states import State
from portal.display import date_display
from tests.api.conftest import api_token_for, issue_card, make_application

PASSPORT = "N12345678"
BIRTH_DATES = ["1988-04-12", "2015-01-02"]
CARD_BIRTH_DATE = ["1990-03-15", "15.03.1990", "03/15/1990", "15/03/1990", "March 15, 1990", "Mar. 15, 1990"]


def _long_dates(value: date) -> list[str]:
    """The card's date of birth as the pages print it (one long date per language)."""
    out = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.append(date_display(value))
    return out


CARD_BIRTH_DATE += _long_dates(date(1990, 3, 15))
FULL = {"applicant", "caseworker", "senior"}
ROLES = [
    "applicant",
    "stranger",
    "caseworker",
    "caseworker_outside",
    "senior",
    "criteria_admin",
    "auditor",
    "superuser",
]


@pytest.fixture
def case(applicant):
    return make_application(
        applicant,
        state=State.SUBMITTED,
        reference="KC-2026-000042",
        submitted_at=timezone.now(),
        region_id="KZ-55",
        passport_number=PASSPORT,
        answers={
            "passport": {"passport_number": PASSPORT},
            "personal": {"date_of_birth": BIRTH_DATES[0]},
            "family": {"members": [{"name_latin": "ALI", "date_of_birth": BIRTH_DATES[1]}]},
        },
    )


@pytest.fixture
def surfaces(case, applicant, settings, superuser):
    card = issue_card(settings, applicant)
    return [
        # (what, web or api, url, the full values that must not leak when masked)
        ("case page", "web", reverse("casework:case", args=[case.pk]), [PASSPORT, *BIRTH_DATES]),
        ("casework API case", "api", f"/api/v1/casework/cases/{case.pk}/", [PASSPORT, *BIRTH_DATES]),
        ("card page", "web", reverse("cards:detail", args=[card.number]), CARD_BIRTH_DATE),
        ("admin application", "web", reverse("admin:applications_application_change", args=[case.pk]), [PASSPORT]),
        ("admin card", "web", reverse("admin:applications_issuedcard_change", args=[card.pk]), CARD_BIRTH_DATE),
        ("applicant API", "api", f"/api/v1/applications/{case.pk}/", [PASSPORT, *BIRTH_DATES]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_identifiers_in_full_or_masked_everywhere(
    role, verified_people, superuser, surfaces, client, case
):
    user = superuser if role == "superuser" else verified_people[role]
    client.force_login(user)
    api = APIClient()
    if role != "superuser":
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_for(user)}")
    opened, problems = 0, []
    for what, kind, url, values in surfaces:
        if kind == "api" and role == "superuser":
            continue
        response = client.get(url) if kind == "web" else api.get(url)
        if response.status_code != 200:
            continue
        opened += 1
        body = response.content.decode()
        shown = [v for v in values if v in body]
        if role in FULL and not shown:
            problems.append(f"{what}: {role} should see the identifiers in full")
        if role not in FULL and shown:
            problems.append(f"{what}: {role} sees {shown} unmasked")
    assert problems == []
    # Each role that reads cases at all opened at least one surface (the walk is not empty).
    if role in {"applicant", "caseworker", "senior", "auditor", "superuser"}:
        assert opened > 0
    assert Application.objects.get(pk=case.pk).passport_number == PASSPORT
