"""Cases spread over a month, written directly in bulk (as fixtures may), and their release."""

from datetime import date, datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone

from applications.models import Application, IssuedCard
from applications.states import State
from applications.workflow import state_writes_for_seeding

PERIOD = date(2026, 10, 1)
_serial = count(1)


def in_month(period: date = PERIOD, day: int = 10) -> datetime:
    return timezone.make_aware(datetime(period.year, period.month, day, 12))


def add_cases(
    owner,
    n: int,
    *,
    state: str = State.SUBMITTED,
    product: str = "kandas_card",
    region: str | None = "KZ-55",
    sector: str = "it",
    citizenship: str | None = "CN",
    submitted: datetime | None = None,
    decided: datetime | None = None,
    issued: datetime | None = None,
) -> list[Application]:
    """``n`` cases with these facts; ``issued`` also writes a card issued at that time."""
    rows = []
    for _ in range(n):
        k = next(_serial)
        answers = {"personal": {"citizenship": citizenship}} if citizenship else {}
        rows.append(
            Application(
                owner=owner,
                product=product,
                state=state,
                reference=f"ST-2026-{k:06d}",
                applicant_name=f"Applicant {k}",
                region_id=region,
                sector=sector,
                answers=answers,
                submitted_at=submitted or in_month(),
                decided_at=decided,
            )
        )
    with state_writes_for_seeding():
        apps = Application.objects.bulk_create(rows)
    if issued is not None:
        cards = [
            IssuedCard(
                number=f"ST{app.pk:014d}"[:16],
                application=app,
                product=product,
                holder=owner,
                holder_name=app.applicant_name,
                valid_from=issued.date(),
                valid_until=issued.date() + timedelta(days=365 * 3),
                payload="x",
                key_id="test",
            )
            for app in apps
        ]
        IssuedCard.objects.bulk_create(cards)
        IssuedCard.objects.filter(application__in=apps).update(issued_at=issued)
    return apps


@pytest.fixture
def month_of_cases(applicant):
    """A month with large and small cells in every measure."""
    add_cases(applicant, 25)  # kandas, Pavlodar, IT, China: shown
    add_cases(applicant, 3, product="skills_visa", citizenship="UZ")  # small: hidden
    add_cases(applicant, 14, region="KZ-71", sector="education", citizenship="MN")
    add_cases(applicant, 2, region=None, sector="", citizenship=None)  # facts not stated
    earlier = in_month(date(2026, 9, 1))
    add_cases(applicant, 12, state=State.APPROVED, region="KZ-71", submitted=earlier, decided=in_month())
    add_cases(applicant, 4, state=State.REFUSED, submitted=earlier, decided=in_month())
    add_cases(applicant, 11, state=State.ISSUED, submitted=earlier, decided=in_month(), issued=in_month(day=20))
    # Outside the month: never counted.
    add_cases(applicant, 30, submitted=in_month(date(2026, 11, 1)))
    return PERIOD
