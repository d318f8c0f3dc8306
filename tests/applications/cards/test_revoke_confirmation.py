"""Revoking a card goes through an "are you sure" page that cannot be skipped (issue 16)."""

import pytest
from django.urls import reverse

from applications.models import IssuedCard
from portal.audit.models import AuditEvent
from portal.confirmation import FIELD, confirmation_token
from tests.confirmation import confirmation_token_in

pytestmark = pytest.mark.django_db


def test_the_revoke_form_leads_to_a_summary_and_revokes_only_when_confirmed(client, card, senior):
    url = reverse("cards:revoke", args=[card.number])
    client.force_login(senior)
    page = client.post(url, {"reason": "Documents were forged"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Are you sure you want to revoke this card?" in html
    assert card.holder_name in html and "Documents were forged" in html
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.ACTIVE
    assert not AuditEvent.objects.filter(action="card.revoke").exists()

    assert client.post(url, {"reason": "Documents were forged", FIELD: confirmation_token_in(page)}).status_code == 302
    card.refresh_from_db()
    assert (card.status, card.revocation_reason) == (IssuedCard.Status.REVOKED, "Documents were forged")


def test_a_forged_or_foreign_token_shows_the_confirmation_again(client, card, senior, caseworker):
    url = reverse("cards:revoke", args=[card.number])
    client.force_login(senior)
    foreign = confirmation_token(user=caseworker, purpose="card.revoke", subject=card.number)
    other_card = confirmation_token(user=senior, purpose="card.revoke", subject="KC0000000000")
    other_purpose = confirmation_token(user=senior, purpose="decision.confirm", subject=card.number)
    for token in ("", "forged", foreign, other_card, other_purpose):
        assert client.post(url, {"reason": "Forged", FIELD: token}).status_code == 200, token
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.ACTIVE


def test_an_empty_reason_is_asked_for_before_the_confirmation(client, card, senior):
    client.force_login(senior)
    page = client.post(reverse("cards:revoke", args=[card.number]), {"reason": ""}).content.decode()
    assert "Give a reason." in page
    assert FIELD not in page
