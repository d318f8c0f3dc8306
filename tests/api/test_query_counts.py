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


def add_criteria_sets(n: int, *, status: str = "draft") -> None:
    from eligibility.models import CriteriaSet

    start = (
        CriteriaSet.objects.filter(product="skills_visa").order_by("-version").values_list("version", flat=True).first()
        or 0
    ) + 1
    CriteriaSet.objects.bulk_create(
        [CriteriaSet(product="skills_visa", version=start + i, status=status, pass_mark=70) for i in range(n)]
    )


def add_legal_grounds(n: int) -> None:
    from applications.models import LegalGround

    rows = [
        LegalGround(code=f"test-ground-{next(_numbers)}", applies_to="approve", title_en="Ground") for _ in range(n)
    ]
    LegalGround.objects.bulk_create(rows)


def add_cards(holder, n: int) -> list:
    """n approved applications of the holder, each with an issued card (rows only, no signing)."""
    from applications.models import IssuedCard

    add_applications(holder, n, state=State.APPROVED)
    today = timezone.localdate()
    apps = Application.objects.filter(owner=holder, state=State.APPROVED, card__isnull=True)
    cards = [
        IssuedCard(
            number=f"{next(_numbers):016d}",
            application=app,
            product="kandas_card",
            holder=holder,
            holder_name="AIGERIM BEKOVA",
            valid_from=today,
            valid_until=today.replace(year=today.year + 1),
            payload="-",
            key_id="test",
        )
        for app in apps
    ]
    return IssuedCard.objects.bulk_create(cards)


def add_share_codes(holder, n: int) -> None:
    from applications.models import CardShareCode, IssuedCard

    card = IssuedCard.objects.filter(holder=holder).first() or add_cards(holder, 1)[0]
    expires = timezone.now() + timezone.timedelta(days=30)
    CardShareCode.objects.bulk_create(
        [CardShareCode(card=card, code=f"S{next(_numbers):011d}", purpose="work", expires_at=expires) for _ in range(n)]
    )


def add_documents(owner, n: int) -> None:
    from applications.models import Document

    application = Application.objects.filter(owner=owner, state=State.DRAFT).first()
    if application is None:
        add_applications(owner, 1)
        application = Application.objects.get(owner=owner, state=State.DRAFT)
    Document.objects.bulk_create(
        [
            Document(
                application=application,
                kind="passport",
                original_name=f"p{i}.pdf",
                file=f"x/p{i}.pdf",
                uploaded_by=owner,
            )
            for i in range(n)
        ]
    )


def add_queues(caseworker, n: int) -> None:
    from applications.models import Queue

    queues = Queue.objects.bulk_create([Queue(name=f"Queue {next(_numbers)}") for _ in range(n)])
    Queue.caseworkers.through.objects.bulk_create(
        [Queue.caseworkers.through(queue=queue, user=caseworker) for queue in queues]
    )


def add_timeline(owner, n: int) -> None:
    """n visible events on the applicant's submitted application (the audit trail is append-only)."""
    from portal.audit.record import audit_record

    application = Application.objects.filter(owner=owner, state=State.SUBMITTED).first()
    if application is None:
        add_applications(owner, 1, state=State.SUBMITTED)
        application = Application.objects.get(owner=owner, state=State.SUBMITTED)
    for _ in range(n):
        audit_record(actor=owner, action="submit", obj=application, application=application)


def queries_for(client, url: str) -> tuple[int, int]:
    """(SQL queries, rows in the response: the results of a page, or the whole list)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return len(captured), len(body["results"] if isinstance(body, dict) else body)


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
        ("criteria_admin", "/api/v1/criteria-sets/", lambda people, n: add_criteria_sets(n)),
        ("anonymous", "/api/v1/public/criteria/", lambda people, n: add_criteria_sets(n, status="published")),
        ("auditor", "/api/v1/casework/legal-grounds/", lambda people, n: add_legal_grounds(n)),
        ("applicant", "/api/v1/cards/", lambda people, n: add_cards(people["applicant"], n)),
        ("caseworker", "/api/v1/casework/queues/", lambda people, n: add_queues(people["caseworker"], n)),
        ("applicant", "/api/v1/applications/{case}/timeline/", lambda people, n: add_timeline(people["applicant"], n)),
        ("applicant", "/api/v1/cards/{card}/share-codes/", lambda people, n: add_share_codes(people["applicant"], n)),
        (
            "applicant",
            "/api/v1/applications/{draft}/documents/",
            lambda people, n: add_documents(people["applicant"], n),
        ),
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
    url = url.format(
        card=getattr(verified_people["applicant"].cards.first(), "number", "0"),
        draft=getattr(Application.objects.filter(owner=verified_people["applicant"]).first(), "pk", 0),
        case=getattr(
            Application.objects.filter(owner=verified_people["applicant"], state=State.SUBMITTED).first(), "pk", 0
        ),
    )
    client.get(url)  # warm per-process caches (content types, roles)
    small, small_rows = queries_for(client, url)
    grow(verified_people, 990)
    large, large_rows = queries_for(client, url)
    assert small == large, (small, large)
    assert small_rows >= 10 and large_rows > small_rows  # the rows were really listed
