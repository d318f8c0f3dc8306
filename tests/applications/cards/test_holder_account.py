"""The holder's account: access, share codes, address and employer history, renewal, reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.cards import services
from applications.models import Application, CardAddress, CardEmployer, CardShareCode, IssuedCard, Notification
from applications.states import State
from applications.tasks import card_expiry_reminders, card_issue_sweep
from eligibility.models import Region
from portal.audit.models import AuditEvent
from tests.confirmation import post_confirmed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["cards:detail", "cards:pdf", "cards:address", "cards:employer"])
def test_a_stranger_gets_404_on_every_card_page(client, card, stranger, name):
    client.force_login(stranger)
    assert client.get(reverse(name, args=[card.number])).status_code == 404


def test_decision_letter_of_someone_else_is_404(client, card, stranger):
    client.force_login(stranger)
    Application.objects.filter(pk=card.application_id).update(reference="KC-2026-000321")
    assert client.get(reverse("cards:decision_letter", args=["KC-2026-000321"])).status_code == 404


def test_holder_sees_the_card_and_downloads_the_pdf(client, card, applicant):
    client.force_login(applicant)
    page = client.get(reverse("cards:detail", args=[card.number])).content.decode()
    assert "KC 26" in page or card.number[:2] in page
    response = client.get(reverse("cards:pdf", args=[card.number]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client.get(reverse("cards:list")).status_code == 200


def test_holder_creates_a_share_code_on_the_page(client, card, applicant):
    client.force_login(applicant)
    response = client.post(reverse("cards:share_code_create", args=[card.number]), {"purpose": "rent"}, follow=True)
    share = CardShareCode.objects.get(card=card)
    assert share.purpose == "rent"
    assert services.format_code(share.code) in response.content.decode()


def test_a_caseworker_may_view_a_card_but_not_act_as_its_holder(client, card, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("cards:detail", args=[card.number])).status_code == 200
    assert client.post(reverse("cards:share_code_create", args=[card.number]), {"purpose": "work"}).status_code == 404
    assert client.get(reverse("cards:revoke", args=[card.number])).status_code == 404


def test_senior_revokes_on_the_page_with_a_reason(client, card, senior):
    client.force_login(senior)
    empty = client.post(reverse("cards:revoke", args=[card.number]), {"reason": ""})
    assert "Give a reason." in empty.content.decode()
    post_confirmed(client, reverse("cards:revoke", args=[card.number]), {"reason": "Documents were forged"})
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.REVOKED and card.revoked_by == senior
    assert AuditEvent.objects.filter(action="card.revoke", object_id=str(card.pk)).count() == 1


def test_address_changes_keep_the_history(client, card, applicant):
    client.force_login(applicant)
    url = reverse("cards:address", args=[card.number])
    client.post(url, {"region": "KZ-10", "address": "Semey, Abai st. 1", "registered_on": "2026-01-10"})
    client.post(url, {"region": "KZ-11", "address": "Kokshetau, Auezov st. 5", "registered_on": "2026-06-01"})
    rows = list(CardAddress.objects.filter(card=card))
    assert [r.region_id for r in rows] == ["KZ-11", "KZ-10"]
    assert AuditEvent.objects.filter(action="card.address").count() == 2


def test_address_form_errors_are_shown_and_nothing_is_saved(client, card, applicant):
    client.force_login(applicant)
    page = client.post(
        reverse("cards:address", args=[card.number]),
        {"region": "", "address": "", "registered_on": (timezone.localdate() + timedelta(days=3)).isoformat()},
    ).content.decode()
    assert "There is a problem" in page and "Choose the region." in page and "Enter the address." in page
    assert not CardAddress.objects.exists()


def test_employer_change_is_recorded_and_a_bad_bin_refused(client, card, applicant):
    client.force_login(applicant)
    url = reverse("cards:employer", args=[card.number])
    bad = client.post(url, {"employer_name": "Kaz Tech", "employer_bin": "12", "started_on": "2026-02-01"})
    assert "A BIN has exactly 12 digits." in bad.content.decode()
    client.post(url, {"employer_name": "Kaz Tech", "employer_bin": "123456789012", "started_on": "2026-02-01"})
    assert CardEmployer.objects.get(card=card).employer_bin == "123456789012"


def test_renewal_starts_a_draft_from_the_previous_answers_once(client, card, applicant):
    client.force_login(applicant)
    client.post(reverse("cards:renew", args=[card.number]))
    client.post(reverse("cards:renew", args=[card.number]))
    renewal = Application.objects.get(owner=applicant, state=State.DRAFT)
    assert renewal.answers["personal"] == card.application.answers["personal"]
    assert renewal.answers["renewal"] == {"card_number": card.number}
    assert renewal.region_id == card.application.region_id


def test_a_renewed_kandas_card_keeps_the_citizenship_date_of_the_first_card(card, applicant, caseworker, senior):
    from tests.applications.cards.conftest import approve

    IssuedCard.objects.filter(pk=card.pk).update(valid_from=date(2024, 1, 1), citizenship_eligible_on=date(2029, 1, 1))
    card.refresh_from_db()
    renewal = services.card_renewal_start(card=card, actor=applicant)
    new_card = services.card_issue(application=approve(renewal, caseworker, senior))
    assert new_card.previous_card == card
    assert new_card.citizenship_eligible_on == date(2029, 1, 1)


def test_expiry_reminders_go_out_90_and_30_days_ahead_once_each(card, applicant, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    IssuedCard.objects.filter(pk=card.pk).update(valid_until=today + timedelta(days=90))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        card_expiry_reminders()
        card_expiry_reminders()
    assert Notification.objects.filter(kind="expiry_coming", channel="email").count() == 1
    IssuedCard.objects.filter(pk=card.pk).update(valid_until=today + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        card_expiry_reminders()
        card_expiry_reminders()
    keys = sorted(
        Notification.objects.filter(kind="expiry_coming", channel="email").values_list("idempotency_key", flat=True)
    )
    assert [k.split(":")[2] for k in keys] == ["expiry30", "expiry90"]
    assert len(mail.outbox) == 2
    from portal.display import card_number

    assert "30" in mail.outbox[1].body and card_number(card.number) in mail.outbox[1].body


def test_no_reminder_far_from_expiry_and_expired_cards_are_marked(card):
    today = timezone.localdate()
    IssuedCard.objects.filter(pk=card.pk).update(valid_until=today + timedelta(days=91))
    card_expiry_reminders()
    assert not Notification.objects.filter(kind="expiry_coming").exists()
    IssuedCard.objects.filter(pk=card.pk).update(valid_until=today - timedelta(days=1))
    card_expiry_reminders()
    card.refresh_from_db()
    assert card.status == IssuedCard.Status.EXPIRED
    assert AuditEvent.objects.filter(action="card.expire").count() == 1


def test_the_issue_sweep_issues_cards_for_approved_applications_without_one(make_approved):
    application = make_approved()
    assert card_issue_sweep() == 1
    assert card_issue_sweep() == 0
    assert IssuedCard.objects.get(application=application)


def test_permitted_region_names_follow_the_language(card):
    from django.utils import translation

    with translation.override("ru"):
        assert [r.name for r in card.permitted_regions.all()] == [Region.objects.get(code="KZ-10").name_ru]
