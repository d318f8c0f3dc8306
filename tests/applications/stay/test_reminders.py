"""Reminders of the holder's stay: the first address report due, citizenship eligibility reached."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import CardAddress, IssuedCard, Notification
from applications.stay.models import BorderRecord
from applications.stay.services import address_reminders_send, citizenship_reminders_send
from applications.stay.tasks import stay_reminders

pytestmark = pytest.mark.django_db


def _started(card, days_ago: int, *, eligible_in: int | None = None) -> IssuedCard:
    today = timezone.localdate()
    fields = {"valid_from": today - timedelta(days=days_ago)}
    if eligible_in is not None:
        fields["citizenship_eligible_on"] = today + timedelta(days=eligible_in)
    IssuedCard.objects.filter(pk=card.pk).update(**fields)
    card.refresh_from_db()
    return card


def test_a_holder_without_an_address_is_reminded_once_before_it_is_due(
    card, settings, django_capture_on_commit_callbacks
):
    settings.STAY_ADDRESS_REPORT_DAYS, settings.STAY_ADDRESS_REMINDER_DAYS_BEFORE = 10, 3
    card.holder.preferred_language = "en"
    card.holder.save(update_fields=["preferred_language"])
    _started(card, 6)
    assert address_reminders_send() == 0  # four days left: not yet
    _started(card, 7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert address_reminders_send() == 1
        assert address_reminders_send() == 0
    row = Notification.objects.get(kind="address_report_due", channel="email")
    assert row.payload["due_on"] == (card.valid_from + timedelta(days=10)).isoformat()
    assert len(mail.outbox) == 1
    assert "Please register your address in Kazakhstan for card KC 26 000001 87" in mail.outbox[0].body


def test_a_holder_with_an_address_is_not_reminded(card):
    _started(card, 30)
    CardAddress.objects.create(card=card, region_id="KZ-10", address="Semey", registered_on=timezone.localdate())
    assert address_reminders_send() == 0


def test_citizenship_reminders_go_30_days_before_and_on_the_day_once_each(card, django_capture_on_commit_callbacks):
    # The timeline's date: five years from the card's first day, with no absence.
    start = timezone.localdate() - timedelta(days=365 * 5 - 20)
    IssuedCard.objects.filter(pk=card.pk).update(
        valid_from=start, citizenship_eligible_on=start.replace(year=start.year + 5)
    )
    card.refresh_from_db()
    # In the holder's language.
    card.holder.preferred_language = "ru"
    card.holder.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert citizenship_reminders_send() == 1
        assert citizenship_reminders_send() == 0
    on_the_day = card.citizenship_eligible_on
    assert citizenship_reminders_send(today=on_the_day) == 1
    assert citizenship_reminders_send(today=on_the_day) == 0
    keys = sorted(
        Notification.objects.filter(kind="citizenship_eligible", channel="email").values_list(
            "idempotency_key", flat=True
        )
    )
    assert [k.split(":")[2] for k in keys] == [f"citizenship{on_the_day.isoformat()}"] * 2
    assert "гражданстве Казахстана" in mail.outbox[0].body


def test_a_break_in_continuity_moves_the_date_and_no_reminder_goes_for_the_old_one(card, settings):
    start = timezone.localdate() - timedelta(days=365 * 5 - 20)
    IssuedCard.objects.filter(pk=card.pk).update(
        valid_from=start, citizenship_eligible_on=start.replace(year=start.year + 5)
    )
    card.refresh_from_db()
    left = start + timedelta(days=10)
    back = left + timedelta(days=settings.STAY_MAX_DAYS_ABROAD_PER_YEAR + 2)
    for direction, day in (("exit", left), ("entry", back)):
        BorderRecord.objects.create(holder=card.holder, card=card, direction=direction, crossed_on=day, source="import")
    assert citizenship_reminders_send() == 0
    assert not Notification.objects.filter(kind="citizenship_eligible").exists()


def test_the_beat_task_runs_both(card):
    _started(card, 30)
    assert stay_reminders() == {"address": 1, "citizenship": 0, "new_employer": 0}


def test_a_card_past_the_reminder_window_is_not_tried_again(card):
    _started(card, 60)
    assert address_reminders_send() == 0
    assert not Notification.objects.filter(kind="address_report_due").exists()


def test_the_citizenship_reminders_read_every_holders_records_in_one_query(
    card, make_approved, django_assert_max_num_queries
):
    from applications.cards.services import card_issue

    start = timezone.localdate() - timedelta(days=365 * 5 - 20)
    second = card_issue(application=make_approved())
    IssuedCard.objects.filter(pk__in=[card.pk, second.pk]).update(
        valid_from=start, citizenship_eligible_on=start.replace(year=start.year + 5)
    )
    for direction, day in (("exit", start + timedelta(days=1)), ("entry", start + timedelta(days=5))):
        BorderRecord.objects.create(holder=card.holder, card=card, direction=direction, crossed_on=day, source="import")
    assert citizenship_reminders_send() == 2
    # Both reminded already: the cards, the records, then per card the holder's verified phone
    # (does an SMS go too?) and per channel one outbox insert refused by its key (savepoint,
    # insert, rollback, release); no query per holder's records.
    with django_assert_max_num_queries(2 + 2 * (1 + 2 * 4)):
        assert citizenship_reminders_send() == 0
