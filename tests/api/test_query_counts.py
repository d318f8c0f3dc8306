"""SQL queries per list request stay constant as the data grows (10 rows vs 1,000 rows)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application
from applications.states import State
from applications.workflow import state_writes_for_seeding
from eligibility.models import Occupation, Region, RegionYear, ScarceProfession
from portal.api.tokens import api_token_create

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def add_applications(owner, n: int, *, state: str = State.DRAFT) -> None:
    now = timezone.now()
    rows = []
    for _ in range(n):
        i = next(_numbers)
        rows.append(
            Application(
                owner=owner,
                product="kandas_card",
                state=state,
                reference=None if state == State.DRAFT else f"KC-2026-{i:06d}",
                applicant_name=f"Applicant {i}",
                region_id="KZ-55",
                sector="it",
                priority=2,
                submitted_at=None if state == State.DRAFT else now,
            )
        )
    with state_writes_for_seeding():
        Application.objects.bulk_create(rows)


def add_ratings(n: int) -> None:
    codes = list(Occupation.objects.values_list("code", flat=True))
    existing = ScarceProfession.objects.count()
    rows = [
        ScarceProfession(occupation_id=codes[i % len(codes)], year=2000 + i // len(codes), sector="it", priority=1)
        for i in range(existing, existing + n)
    ]
    ScarceProfession.objects.bulk_create(rows)


def add_region_years(n: int) -> None:
    codes = list(Region.objects.values_list("code", flat=True))
    existing = RegionYear.objects.count()
    rows = [
        RegionYear(region_id=codes[i % len(codes)], year=2000 + i // len(codes), labour_deficient=i % 2 == 0)
        for i in range(existing, existing + n)
    ]
    RegionYear.objects.bulk_create(rows)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    ("role", "url", "grow"),
    [
        ("applicant", "/api/v1/applications/", lambda people, n: add_applications(people["applicant"], n)),
        (
            "caseworker",
            "/api/v1/casework/cases/",
            lambda people, n: add_applications(people["stranger"], n, state=State.SUBMITTED),
        ),
        (
            "auditor",
            "/api/v1/casework/cases/",
            lambda people, n: add_applications(people["stranger"], n, state="submitted"),
        ),
        ("criteria_admin", "/api/v1/rating/", lambda people, n: add_ratings(n)),
        ("criteria_admin", "/api/v1/region-years/", lambda people, n: add_region_years(n)),
        (
            "applicant",
            "/api/v1/me/tokens/",
            lambda people, n: [api_token_create(user=people["applicant"]) for _ in range(n)],
        ),
    ],
)
def test_list_queries_do_not_grow_with_the_rows(role, url, grow, clients, verified_people):
    client = clients[role]
    grow(verified_people, 10)
    client.get(url)  # warm per-process caches (content types, roles)
    small = queries_for(client, url)
    grow(verified_people, 990)
    large = queries_for(client, url)
    assert small == large, (small, large)
