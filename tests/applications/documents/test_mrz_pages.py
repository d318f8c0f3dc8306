"""The applicant sees, before submitting, where the passport's MRZ differs from the answers."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.documents.mrz import mrz_parse
from applications.documents.specimen import PassportData
from applications.models import Document

from .conftest import make_application

pytestmark = pytest.mark.django_db

ANSWERS = {
    "personal": {
        "family_name_latin": "NURLANQYZY",
        "given_names_latin": "AIGERIM",
        "date_of_birth": "1990-05-27",
        "citizenship": "KZ",
    },
    "passport": {"passport_number": "N12345678", "passport_country": "KZ", "passport_expires_on": "2031-01-01"},
}


def passport_with_mrz(application, mrz: dict) -> Document:
    return Document.objects.create(
        application=application,
        kind=Document.Kind.PASSPORT,
        original_name="passport.jpg",
        file=ContentFile(b"scan", name="passport.jpg"),
        status=Document.Status.READY,
        mrz=mrz,
    )


def read_of(data: PassportData) -> dict:
    return {**mrz_parse(data.mrz_lines()).as_dict(), "confidence": 0.98}


@pytest.fixture
def draft(applicant):
    application = make_application(applicant, state="draft")
    application.answers = ANSWERS
    application.save(update_fields=["answers"])
    return application


def check_page(client, applicant, draft, language="en"):
    from django.conf import settings
    from django.utils import timezone

    applicant.email_verified_at = timezone.now()
    applicant.save(update_fields=["email_verified_at"])
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("applications:check", args=[draft.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_planted_typo_is_flagged_before_submission_with_links_to_fix_it(client, applicant, draft):
    passport_with_mrz(draft, read_of(PassportData(number="N12345679")))
    page = check_page(client, applicant, draft)
    assert "We read these details from your passport; they differ from what you typed" in page
    assert "N12345679" in page and "N12345678" in page
    assert reverse("applications:section", args=[draft.pk, "passport"]) in page
    assert reverse("applications:documents", args=[draft.pk]) in page


def test_a_transliteration_variant_alone_is_not_flagged(client, applicant, draft):
    draft.answers["personal"]["family_name_latin"] = "NURLANKYZY"
    draft.save(update_fields=["answers"])
    passport_with_mrz(draft, read_of(PassportData()))
    assert "they differ from what you typed" not in check_page(client, applicant, draft)


def test_an_unreadable_zone_says_how_to_fix_the_scan_without_blocking(client, applicant, draft):
    passport_with_mrz(draft, {"format": None, "lines": [], "valid": False, "problems": ["no_zone"]})
    page = check_page(client, applicant, draft)
    assert "make sure the two lines at the bottom are sharp and fully visible" in page
    assert "Accept and send" in page


def test_an_expired_passport_is_flagged(client, applicant, draft):
    from datetime import date

    passport_with_mrz(draft, read_of(PassportData(expiry=date(2020, 1, 1))))
    assert "The passport has expired" in check_page(client, applicant, draft)


def test_read_values_are_escaped_and_shown_in_the_page_language(client, applicant, draft):
    passport_with_mrz(draft, read_of(PassportData(nationality="UZB")))
    page = check_page(client, applicant, draft, "ru")
    assert "Узбекистан" in page
    assert "UZB" not in page


def test_the_read_mrz_is_in_the_applicants_data_export(applicant, draft):
    from applications.privacy import applicant_data

    passport_with_mrz(draft, read_of(PassportData()))
    exported = applicant_data(applicant)
    documents = [d for a in exported["applications"] for d in a["documents"]]
    assert documents[0]["machine_readable_zone"]["fields"]["surname"] == "NURLANQYZY"
