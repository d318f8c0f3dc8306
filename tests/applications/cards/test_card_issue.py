"""Issuing the card on final approval."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.cards import numbers, signing
from applications.cards.services import CardActionRefused, add_years, card_issue
from applications.models import Application, IssuedCard, Notification
from applications.states import State
from eligibility.products import Product
from portal.audit.models import AuditEvent
from tests.applications.products.helpers import product_changed

pytestmark = pytest.mark.django_db


def test_kandas_card_is_issued_for_three_years_with_citizenship_date_and_arrival_region(make_approved):
    application = make_approved()
    card = card_issue(application=application)
    today = timezone.localdate()
    assert card.valid_from == today
    assert card.valid_until == add_years(today, 3) - timedelta(days=1)
    assert card.citizenship_eligible_on == add_years(today, 5)
    assert [r.code for r in card.permitted_regions.all()] == ["KZ-10"]
    assert card.holder == application.owner and card.holder_name == "Айгерім Нұрланқызы"
    assert card.date_of_birth == date(1990, 3, 15)
    assert card.current_status == IssuedCard.Status.ACTIVE and card.is_valid


def test_issuing_moves_the_application_to_issued_with_audit_and_notification(make_approved):
    application = make_approved()
    card = card_issue(application=application)
    application.refresh_from_db()
    assert application.state == State.ISSUED
    event = AuditEvent.objects.get(application=application, action="issue")
    assert event.actor is None and event.snapshot["card_number"] == card.number
    assert Notification.objects.filter(application=application, kind="card_issued").count() == 2


def test_valuable_skills_visa_validity_comes_from_the_product_declaration(make_approved):
    with product_changed(Product.SKILLS_VISA, validity_years=2):
        card = card_issue(application=make_approved(Product.SKILLS_VISA))
    assert card.valid_until == add_years(timezone.localdate(), 2) - timedelta(days=1)
    assert card.citizenship_eligible_on is None
    assert card.permitted_regions.count() == 0  # the whole country
    assert card.number.startswith("VS")


def test_card_number_has_valid_check_digits_and_a_typo_is_caught(card):
    assert numbers.is_well_formed(card.number)
    typo = card.number[:-3] + str((int(card.number[-3]) + 1) % 10) + card.number[-2:]
    assert not numbers.is_well_formed(typo)
    swapped = card.number[:4] + card.number[5] + card.number[4] + card.number[6:]
    assert swapped == card.number or not numbers.is_well_formed(swapped)


def test_issuing_twice_returns_the_same_card(make_approved):
    application = make_approved()
    first = card_issue(application=application)
    assert card_issue(application=application.pk) == first
    assert IssuedCard.objects.count() == 1


def test_a_card_is_not_issued_before_approval(applicant):
    draft = Application.objects.create(product=Product.KANDAS_CARD, owner=applicant)
    with pytest.raises(CardActionRefused):
        card_issue(application=draft)
    assert not IssuedCard.objects.exists()


def test_the_stored_payload_verifies_with_the_public_key_and_carries_the_card_facts(card, card_key):
    claims = signing.payload_verify(card.payload, {"test-2026": card_key.public_key()})
    assert claims.number == card.number
    assert claims.name == card.holder_name
    assert claims.date_of_birth == "1990-03-15"
    assert claims.product == Product.KANDAS_CARD
    assert claims.valid_until == card.valid_until.isoformat()
    assert claims.key_id == card.key_id == "test-2026"


@pytest.mark.parametrize(
    ("number", "ok"),
    [("KC2600000187", True), ("kc 26 000001 87", True), ("KC2600000178", False), ("XX2600000187", False)],
)
def test_number_check_digits_follow_iso_7064_mod_97_10(number, ok):
    assert numbers.is_well_formed(number) is ok


def test_the_card_issued_e_mail_names_the_card_number_and_validity(make_approved, django_capture_on_commit_callbacks):
    from django.core import mail

    application = make_approved()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        card = card_issue(application=application)
    (message,) = [m for m in mail.outbox if "card" in m.extra_headers["X-Portal-Notification"]]
    from applications.notifications import recipient_language
    from portal.display import card_number, date_display

    # The number as printed on the card, the date with its month name in the holder's language.
    language = recipient_language(application.owner)
    assert card_number(card.number) in message.body
    assert date_display(card.valid_until, language) in message.body


def test_card_is_issued_after_the_approval_commits(make_approved, django_capture_on_commit_callbacks):
    from applications.cards.services import card_issue_after_approval

    application = make_approved()
    with django_capture_on_commit_callbacks(execute=True):
        card_issue_after_approval(application=application)
    application.refresh_from_db()
    assert application.state == State.ISSUED and IssuedCard.objects.filter(application=application).exists()
