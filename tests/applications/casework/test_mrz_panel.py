"""The case page's MRZ panel: each field matched, mismatched or unreadable, no read values."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.documents.mrz import mrz_parse
from applications.documents.specimen import PassportData
from applications.models import Document
from applications.states import State

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_each_mrz_field_as_matched_or_mismatched(client, make_case, caseworker):
    app = make_case(state=State.SUBMITTED)
    app.answers = {
        "personal": {"family_name_latin": "NURLANQYZY", "given_names_latin": "AIGERIM", "citizenship": "KZ"},
        "passport": {"passport_number": "N12345678"},
    }
    app.save(update_fields=["answers"])
    mrz = {**mrz_parse(PassportData(given_names="AIGERYM").mrz_lines()).as_dict(), "confidence": 0.97}
    Document.objects.create(
        application=app,
        kind=Document.Kind.PASSPORT,
        original_name="passport.jpg",
        file=ContentFile(b"scan", name="passport.jpg"),
        status=Document.Status.READY,
        mrz=mrz,
    )
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("casework:case", args=[app.pk])).content.decode()
    assert "Passport machine-readable zone" in page
    assert page.count("tag--green") >= 3  # family name, number, nationality
    assert "Likely the same (different spelling)" in page  # AIGERYM / AIGERIM
    assert "N12345678" not in page.split("Passport machine-readable zone", 1)[1].split("</table>", 1)[0]


def test_a_case_without_a_read_passport_says_so(client, make_case, caseworker):
    app = make_case(state=State.SUBMITTED)
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("casework:case", args=[app.pk])).content.decode()
    assert "No passport scan has been read." in page
