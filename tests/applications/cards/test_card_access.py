"""Cards follow the case's access rule (applications/cards/access.card_for): queue staff read,
only a senior of the case's queue revokes, auditors see the date of birth masked, staff
reads are audited, and no card URL carries a sequential id."""

import pytest
from django.urls import reverse

from applications.models import Application
from portal.audit.models import AuditEvent
from tests.confirmation import post_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(card):
    """The fixture's case skips application_submit, which gives the reference: give one."""
    Application.objects.filter(pk=card.application_id).update(reference="KC-2026-000321")
    card.refresh_from_db()
    return card


def _urls(card) -> dict[str, str]:
    return {
        "detail": reverse("cards:detail", args=[card.number]),
        "pdf": reverse("cards:pdf", args=[card.number]),
        "letter": reverse("cards:decision_letter", args=[card.application.reference]),
    }


def test_card_urls_carry_the_number_and_the_reference_never_the_id(card):
    for url in _urls(card).values():
        assert f"/{card.pk}/" not in url
    assert card.number in _urls(card)["detail"] and card.application.reference in _urls(card)["letter"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("caseworker", {"detail": 200, "pdf": 200, "letter": 200}),
        ("senior", {"detail": 200, "pdf": 200, "letter": 200}),
        ("caseworker_outside", {"detail": 404, "pdf": 404, "letter": 404}),
        ("senior_outside", {"detail": 404, "pdf": 404, "letter": 404}),
        ("auditor", {"detail": 200, "pdf": 404, "letter": 404}),
        ("criteria_admin", {"detail": 404, "pdf": 404, "letter": 404}),
        ("stranger", {"detail": 404, "pdf": 404, "letter": 404}),
    ],
)
def test_staff_reach_a_card_only_through_the_case_s_queue(client, card, people, senior_outside, role, expected):
    user = senior_outside if role == "senior_outside" else people[role]
    client.force_login(user)
    got = {name: client.get(url).status_code for name, url in _urls(card).items()}
    assert got == expected


def test_staff_reads_of_the_card_page_pdf_and_letter_are_audited_and_the_holder_s_are_not(
    client, card, caseworker, applicant
):
    client.force_login(applicant)
    for url in _urls(card).values():
        assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(actor=applicant, action__in=["card.view", "card.pdf_view"]).exists()
    client.force_login(caseworker)
    for url in _urls(card).values():
        assert client.get(url).status_code == 200
    actions = set(AuditEvent.objects.filter(actor=caseworker).values_list("action", flat=True))
    assert {"card.view", "card.pdf_view", "decision_letter.view"} <= actions


def test_the_auditor_sees_the_date_of_birth_masked_and_no_photo_or_pdf_link(client, card, auditor):
    client.force_login(auditor)
    page = client.get(reverse("cards:detail", args=[card.number])).content.decode()
    assert "••••-••-•• (1990)" in page
    assert "15.03.1990" not in page and "1990-03-15" not in page and "03/15/1990" not in page
    assert reverse("cards:pdf", args=[card.number]) not in page
    assert client.get(reverse("cards:photo", args=[card.number])).status_code == 404


def test_only_a_senior_of_the_case_s_queue_may_revoke(client, card, people, senior_outside):
    url = reverse("cards:revoke", args=[card.number])
    for user in (people["caseworker"], senior_outside, people["auditor"], people["applicant"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Forged"}).status_code == 404
    client.force_login(people["caseworker"])
    assert url not in client.get(_urls(card)["detail"]).content.decode()
    client.force_login(people["senior"])
    assert client.get(url).status_code == 200
    assert post_confirmed(client, url, {"reason": "Documents were forged"}).status_code == 302
    card.refresh_from_db()
    assert card.status == card.Status.REVOKED
