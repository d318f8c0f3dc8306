"""Public verification by card number + share code: scope, expiry, revoked/expired, rate limit, log."""

import ipaddress
import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.cards import services
from applications.models import CardCheck, CardShareCode, IssuedCard
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def fresh_ip() -> str:
    """A client address no earlier run has used, so rate-limit counters never carry over
    (the counters live in the shared Redis cache, which the tests must not flush)."""
    return str(ipaddress.IPv4Address(random.randint(0x0A000001, 0x0AFFFFFE)))  # 10.0.0.0/8


@pytest.fixture
def share(card, applicant):
    return services.share_code_create(card=card, purpose=CardShareCode.Purpose.WORK, actor=applicant)


def check(client, number, code, ip=None, checker="ACME LLP"):
    ip = ip or fresh_ip()
    return client.post(reverse("verify:verify"), {"number": number, "code": code, "checker": checker}, REMOTE_ADDR=ip)


def test_valid_card_with_its_share_code_shows_status_product_rights_and_validity(client, card, share):
    page = check(client, card.number, services.format_code(share.code).lower()).content.decode()
    assert "This card is valid" in page
    assert card.holder_name in page
    assert "Kandas Card" in page
    assert "May work in Kazakhstan without a work permit" in page
    assert card.valid_until.strftime("%Y") in page
    assert "Abai Region" in page or "Абай" in page


def test_every_check_is_logged_for_the_holder_to_see(client, card, share, applicant):
    ip = fresh_ip()
    check(client, card.number, share.code, ip=ip, checker="ACME LLP")
    logged = CardCheck.objects.get(card=card)
    assert (logged.outcome, logged.checker, logged.ip_address) == ("shown", "ACME LLP", ip)
    client.force_login(applicant)
    page = client.get(reverse("cards:detail", args=[card.number])).content.decode()
    assert "ACME LLP" in page


def test_a_share_code_of_another_card_does_not_open_this_card(client, card, make_approved, stranger):
    other = services.card_issue(application=make_approved(owner=stranger))
    other_share = services.share_code_create(card=other, purpose="work", actor=stranger)
    page = check(client, card.number, other_share.code).content.decode()
    assert "We could not find a card" in page
    assert card.holder_name not in page
    assert CardCheck.objects.get(card=card).outcome == "refused"


def test_a_share_code_stops_working_after_30_days(client, card, share):
    assert abs(share.expires_at - share.created_at - timedelta(days=30)) < timedelta(seconds=5)
    CardShareCode.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = check(client, card.number, share.code).content.decode()
    assert "We could not find a card" in page and card.holder_name not in page


def test_a_withdrawn_share_code_stops_working(client, card, share, applicant):
    services.share_code_withdraw(share=share, actor=applicant)
    assert "We could not find a card" in check(client, card.number, share.code).content.decode()


def test_the_share_code_purpose_limits_the_rights_shown(client, card, applicant):
    rent = services.share_code_create(card=card, purpose="rent", actor=applicant)
    page = check(client, card.number, rent.code).content.decode()
    assert "may rent and own real estate" in page
    assert "without a work permit" not in page


def test_a_revoked_card_shows_revoked_immediately(client, card, share, senior):
    services.card_revoke(card=card, actor=senior, reason="Fraudulent documents")
    # A code given out before the revocation now shows the revocation, and no rights.
    page = check(client, card.number, share.code).content.decode()
    assert "This card has been revoked" in page
    assert "This card is valid" not in page and "without a work permit" not in page


def test_revocation_shows_as_revoked_on_the_qr_check_and_is_audited(client, card, senior):
    services.card_revoke(card=card, actor=senior, reason="Fraudulent documents")
    page = client.post(reverse("verify:scan"), {"payload": card.payload}, REMOTE_ADDR=fresh_ip()).content.decode()
    assert "The code was issued by the Republic of Kazakhstan" in page
    assert "The card has been revoked" in page
    event = AuditEvent.objects.get(action="card.revoke")
    assert (event.actor, event.reason, event.to_state) == (senior, "Fraudulent documents", "revoked")


def test_an_expired_card_is_shown_as_expired(client, card, share):
    IssuedCard.objects.filter(pk=card.pk).update(
        valid_from=timezone.localdate() - timedelta(days=1200), valid_until=timezone.localdate() - timedelta(days=1)
    )
    page = check(client, card.number, share.code).content.decode()
    assert "This card has expired" in page
    assert "without a work permit" not in page


def test_a_revoked_card_via_share_code_created_after_revocation_is_refused(card, senior, applicant):
    services.card_revoke(card=card, actor=senior, reason="Left the country")
    card.refresh_from_db()
    with pytest.raises(services.CardActionRefused):
        services.share_code_create(card=card, purpose="work", actor=applicant)


def test_only_a_senior_caseworker_may_revoke(card, caseworker, applicant):
    for actor in (caseworker, applicant):
        with pytest.raises(services.CardActionRefused):
            services.card_revoke(card=card, actor=actor, reason="x")
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.ACTIVE


def test_checks_are_rate_limited_per_ip(client, card, share, settings):
    settings.CARD_VERIFY_RATE_LIMIT = 3
    busy, other = fresh_ip(), fresh_ip()
    statuses = [check(client, card.number, "WRONGCODE", ip=busy).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many checks" in check(client, card.number, share.code, ip=busy).content.decode()
    # Another address is not affected.
    assert check(client, card.number, share.code, ip=other).status_code == 200


def test_a_mistyped_number_is_refused_without_logging(client, card, share):
    typo = card.number[:-1] + str((int(card.number[-1]) + 1) % 10)
    assert "We could not find a card" in check(client, typo, share.code).content.decode()
    assert not CardCheck.objects.exists()


def test_a_tampered_qr_payload_is_not_genuine_on_the_page(client, card):
    prefix, body, sig = card.payload.split(".")
    forged = f"{prefix}.{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}"
    page = client.post(reverse("verify:scan"), {"payload": forged}, REMOTE_ADDR=fresh_ip()).content.decode()
    assert "This code is not genuine" in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Карта жарамды"), ("ru", "Карта действительна"), ("en", "This card is valid")],
)
def test_verification_works_in_three_languages(client, card, share, language, heading):
    client.cookies["portal_language"] = language
    page = check(client, card.number, share.code).content.decode()
    assert heading in page


def test_the_holder_is_told_of_the_revocation_in_their_language_without_the_reason(
    card, senior, django_capture_on_commit_callbacks
):
    from django.core import mail

    from applications.models import Notification

    card.holder.preferred_language = "ru"
    card.holder.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.card_revoke(card=card, actor=senior, reason="Forged birth certificate")
    rows = Notification.objects.filter(recipient=card.holder, kind="card_revoked")
    assert {r.channel for r in rows} == {Notification.Channel.EMAIL, Notification.Channel.IN_APP}
    (message,) = [m for m in mail.outbox if m.extra_headers["X-Portal-Notification"].startswith("card_revoked")]
    assert message.to == [card.holder.email]
    from portal.display import card_number

    assert card_number(card.number) in message.body and "отозвана" in message.subject
    # The reason stays on the signed-in card page: e-mail is not a private channel.
    assert "Forged" not in message.body


@pytest.mark.parametrize(("language", "month"), [("kk", "ж."), ("ru", "г."), ("en", ", 20")])
def test_the_public_check_shows_unambiguous_dates_and_the_printed_number(client, card, share, language, month):
    from portal.display import card_number, date_display

    client.cookies["portal_language"] = language
    page = check(client, card.number, services.format_code(share.code)).content.decode()
    with_language = date_display(card.valid_until, language)
    assert with_language in page and month in with_language
    assert card_number(card.number) in page
    assert card.valid_until.strftime("%m/%d/%Y") not in page
