"""The holder's stay pages and the case page: who sees the timeline, the declaration form."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import IssuedCard
from applications.stay.models import BorderRecord
from applications.stay.services import StayRefused, absence_declare
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_old_card(card):
    """The card, issued a year ago, with one 30-day absence recorded by the border service."""
    today = timezone.localdate()
    start = today - timedelta(days=365)
    IssuedCard.objects.filter(pk=card.pk).update(valid_from=start)
    for direction, day in (("exit", today - timedelta(days=100)), ("entry", today - timedelta(days=69))):
        BorderRecord.objects.create(
            holder=card.holder,
            card=card,
            direction=direction,
            crossed_on=day,
            crossing_point="Khorgos",
            source="import",
        )
    card.refresh_from_db()
    return card


def test_the_holder_sees_days_and_progress_on_the_card_and_the_stay_page(client, year_old_card, applicant):
    client.force_login(applicant)
    card_page = client.get(reverse("cards:detail", args=[year_old_card.number])).content.decode()
    assert "Stay in Kazakhstan" in card_page and "Progress toward citizenship" in card_page
    assert "<progress" in card_page and "aria-labelledby" in card_page
    page = client.get(reverse("stay:timeline", args=[year_old_card.number])).content.decode()
    assert "Khorgos" in page and "Declare an absence" in page
    assert ">30<" in page  # the absence's days
    assert "(days counted: 366 of 1826)" in page or "(days counted: 366 of 1827)" in page


@pytest.mark.parametrize("name", ["stay:timeline", "stay:declare"])
def test_a_stranger_gets_404(client, card, stranger, name):
    client.force_login(stranger)
    assert client.get(reverse(name, args=[card.number])).status_code == 404


def test_a_caseworker_of_the_queue_reads_the_timeline_and_leaves_a_trace(client, card, caseworker):
    client.force_login(caseworker)
    page = client.get(reverse("stay:timeline", args=[card.number]))
    assert page.status_code == 200 and "Declare an absence" not in page.content.decode()
    assert AuditEvent.objects.filter(action="stay.view", actor=caseworker).count() == 1
    # The holder's own action stays the holder's.
    assert client.get(reverse("stay:declare", args=[card.number])).status_code == 404


def test_a_caseworker_outside_the_queue_gets_404(client, card, caseworker_outside):
    client.force_login(caseworker_outside)
    assert client.get(reverse("stay:timeline", args=[card.number])).status_code == 404


def test_the_case_page_shows_the_same_timeline(client, year_old_card, caseworker):
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[year_old_card.application_id])).content.decode()
    assert "Stay in Kazakhstan" in page and "Progress toward citizenship" in page
    assert reverse("stay:timeline", args=[year_old_card.number]) in page


def test_the_holder_declares_an_absence(client, card, applicant):
    client.force_login(applicant)
    today = timezone.localdate()
    response = client.post(
        reverse("stay:declare", args=[card.number]),
        {"left_on": (today - timedelta(days=10)).isoformat(), "returned_on": (today - timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert "Your absence has been recorded." in response.content.decode()
    assert list(BorderRecord.objects.values_list("direction", "source")) == [
        ("exit", "declaration"),
        ("entry", "declaration"),
    ]
    assert AuditEvent.objects.filter(action="stay.declare", actor=applicant).count() == 1


def test_an_absence_still_going_on_is_one_exit(client, card, applicant):
    client.force_login(applicant)
    client.post(reverse("stay:declare", args=[card.number]), {"left_on": timezone.localdate().isoformat()})
    assert list(BorderRecord.objects.values_list("direction", flat=True)) == ["exit"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"left_on": ""}, "Enter the date you left."),
        ({"left_on": "2026-02-30"}, "Enter a real date."),
        ({"left_on": "2999-01-01"}, "The date must not be in the future."),
        ({"left_on": "2026-03-10", "returned_on": "2026-03-01"}, "The date you came back must be on or after"),
        ({"left_on": "2026-03-10\x00"}, "character"),
        ({"left_on": "99999999999-01-01"}, "Enter a real date."),
    ],
    ids=["empty", "not a date", "future", "back before leaving", "NUL", "huge year"],
)
def test_a_wrong_declaration_shows_the_error_and_saves_nothing(client, card, applicant, data, message):
    client.force_login(applicant)
    response = client.post(reverse("stay:declare", args=[card.number]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert not BorderRecord.objects.exists()


def test_only_the_holder_may_declare(card, caseworker):
    with pytest.raises(StayRefused):
        absence_declare(card=card, actor=caseworker, left_on=date(2026, 1, 1), returned_on=None)


def test_the_timeline_costs_one_query_however_many_records(year_old_card, django_assert_num_queries):
    from applications.stay.selectors import timeline_for_card

    for _ in range(50):
        absence_declare(card=year_old_card, actor=year_old_card.holder, left_on=date(2025, 12, 20), returned_on=None)
    with django_assert_num_queries(1):  # the records; the first card is this one
        timeline_for_card(year_old_card)


def test_a_card_without_a_citizenship_term_shows_days_but_no_progress(client, make_approved, applicant):
    from applications.cards.services import card_issue
    from eligibility.products import Product

    visa = card_issue(application=make_approved(Product.SKILLS_VISA))
    client.force_login(applicant)
    page = client.get(reverse("stay:timeline", args=[visa.number])).content.decode()
    assert "Days in Kazakhstan" in page
    assert "Progress toward citizenship" not in page and "<progress" not in page
