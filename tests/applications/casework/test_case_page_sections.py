"""Issue 16: the case page shows each section's answers with the documents that support them
beside, as the product declares (a passport scan beside the passport answers)."""

import re

import pytest
from django.urls import reverse

from applications import sections
from applications.models import Document
from applications.products import all_products
from tests.applications.casework.conftest import build_case

pytestmark = pytest.mark.django_db

PASSPORT_ANSWERS = {
    "passport_number": "N12345678",
    "passport_country": "CN",
    "passport_issued_on": "2020-01-02",
    "passport_expires_on": "2030-01-01",
}


def _tracks(product) -> set[str]:
    return {"", *(track for section in product.sections for track in section.tracks)}


@pytest.mark.parametrize("product", list(all_products()), ids=lambda p: p.code)
def test_each_document_kind_supports_at_most_one_section_of_a_track(product):
    for track in _tracks(product):
        kinds = [kind for section in product.sections_for(track) for kind in section.documents]
        assert len(kinds) == len(set(kinds)), (product.code, track)
        assert set(kinds) <= set(Document.Kind.values)


def test_documents_are_grouped_by_the_declaring_section_and_the_rest_kept_in_order():
    docs = [Document(kind="other"), Document(kind="passport"), Document(kind="photo"), Document(kind="achievement")]
    grouped, others = sections.documents_by_section("kandas_card", "professional", docs)
    assert grouped == {"passport": [docs[1]], "personal": [docs[2]]}
    assert others == [docs[0], docs[3]]


def _section(html: str, slug: str) -> str:
    match = re.search(rf'<section class="case-section" aria-labelledby="section-{slug}">(.*?)</section>', html, re.S)
    assert match, f"no section {slug}"
    return match.group(1)


@pytest.fixture
def case_with_documents(applicant):
    case = build_case(applicant, answers={"passport": PASSPORT_ANSWERS, "track": {"track": "professional"}})
    case.track = "professional"
    case.save(update_fields=["track"])
    for kind, name in [("passport", "scan-of-passport.pdf"), ("other", "letter-from-cousin.pdf")]:
        Document.objects.create(application=case, kind=kind, original_name=name, file=f"x/{name}", size=10)
    return case


def test_the_passport_scan_sits_beside_the_passport_answers(client, caseworker, case_with_documents):
    client.force_login(caseworker)
    client.cookies["portal_language"] = "en"
    html = client.get(reverse("casework:case", args=[case_with_documents.pk])).content.decode()
    passport = _section(html, "passport")
    assert "Passport number" in passport and "Expiry date" in passport
    assert "scan-of-passport.pdf" in passport and "letter-from-cousin.pdf" not in passport
    assert "letter-from-cousin.pdf" in _section(html, "other-documents")
    assert 'aria-labelledby="section-documents"' not in html  # no second list of the same files


def test_the_labels_are_the_applicants_questions_in_the_caseworkers_language(client, caseworker, case_with_documents):
    client.force_login(caseworker)
    client.cookies["portal_language"] = "ru"
    passport = _section(
        client.get(reverse("casework:case", args=[case_with_documents.pk])).content.decode(), "passport"
    )
    assert "Passport number" not in passport and "passport_number" not in passport
    assert "Номер паспорта" in passport
