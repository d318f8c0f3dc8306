"""Applicants with verified addresses, drafts of both products, and valid answers for every page."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from applications import sections, services
from applications.models import Application, Document
from eligibility.products import Product

# A BIN whose check digit is right (see applications.employers.bins.bin_is_valid).
VALID_BIN = "123456789013"

KANDAS_PAGES: dict[str, dict] = {
    "personal": {
        "given_names_latin": "Aigerim",
        "family_name_latin": "Nurlanova",
        "given_names_cyrillic": "Әйгерім",
        "family_name_cyrillic": "Нұрланова",
        "date_of_birth_0": "17",
        "date_of_birth_1": "5",
        "date_of_birth_2": "1990",
        "birth_country": "MN",
        "birth_place": "Olgii",
        "citizenship": "MN",
        "second_citizenship": "",
    },
    "passport": {
        "passport_number": "E1234567",
        "passport_country": "MN",
        "passport_issued_on_0": "1",
        "passport_issued_on_1": "2",
        "passport_issued_on_2": "2022",
        "passport_expires_on_0": "1",
        "passport_expires_on_1": "2",
        "passport_expires_on_2": str(timezone.localdate().year + 6),
    },
    "ethnicity": {"evidence_kind": "birth_certificate", "evidence_details": "Issued in Olgii, 1990"},
    "contact": {
        "phone": "+976 9911 2233",
        "address_line_1": "12 Peace Avenue",
        "address_line_2": "",
        "city": "Ulaanbaatar",
        "postcode": "",
        "country": "MN",
    },
    "languages": {"kazakh": "intermediate", "russian": "advanced", "english": "basic"},
    "track": {"track": "professional"},
    "profession": {
        "occupation_code": "2512",
        "education_level": "master",
        "field_of_study": "Computer science",
        "years_experience": "8",
        "achievements": "Led a national payments project",
    },
    "region": {"region": "KZ-55"},
    "declarations": {"true_and_complete": "on", "data_processing": "on", "no_political_rights": "on"},
}

BUSINESS_PAGE = {
    "business_country": "CN",
    "business_sector": "Dairy processing",
    "years_operating": "7",
    "annual_revenue_usd": "1200000",
    "employees": "45",
    "scale_plan": "Open a plant in Pavlodar with 60 jobs",
}

VISA_PAGES: dict[str, dict] = {
    "personal": {
        **KANDAS_PAGES["personal"],
        "given_names_cyrillic": "",
        "family_name_cyrillic": "",
        "citizenship": "DE",
    },
    "passport": {**KANDAS_PAGES["passport"], "passport_number": "C01X00T47", "passport_country": "DE"},
    "contact": {**KANDAS_PAGES["contact"], "country": "DE", "city": "Berlin", "phone": "+49 30 1234567"},
    "sector": {"sector": "it"},
    "occupation": {"occupation_code": "2512", "job_title": "Data scientist"},
    "education": {
        "education_level": "doctorate",
        "field_of_study": "Statistics",
        "institution": "TU Berlin",
        "graduation_year": "2014",
    },
    "experience": {"years_experience": "10", "current_employer": "Zalando", "current_position": "Lead data scientist"},
    "achievements": {"publications": "12", "patents": "1", "awards": "Best paper 2021"},
    "job_offer": {
        "has_offer": "yes",
        "employer_name": "Kaspi.kz",
        "employer_bin": VALID_BIN,
        "monthly_salary_kzt": "2500000",
    },
    "languages": {"kazakh": "basic", "russian": "intermediate", "english": "advanced"},
    "regions": {"regions": ["KZ-71", "KZ-75"]},
    "declarations": {"true_and_complete": "on", "data_processing": "on", "conditions": "on"},
}

PAGES = {Product.KANDAS_CARD: KANDAS_PAGES, Product.SKILLS_VISA: VISA_PAGES}


def verify(user, language: str = "en"):
    """A verified address; pages in English so that assertions read plainly."""
    user.email_verified_at = timezone.now()
    user.preferred_language = language
    user.save(update_fields=["email_verified_at", "preferred_language"])
    return user


@pytest.fixture
def verified_applicant(applicant):
    return verify(applicant)


@pytest.fixture
def verified_stranger(stranger):
    return verify(stranger)


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def applicant_client(verified_applicant, client_for):
    return client_for(verified_applicant)


@pytest.fixture
def kandas_draft(verified_applicant):
    return services.application_start(owner=verified_applicant, product=Product.KANDAS_CARD)


@pytest.fixture
def visa_draft(verified_applicant):
    return services.application_start(owner=verified_applicant, product=Product.SKILLS_VISA)


def png_bytes(color=(30, 120, 200), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def fill_pages(client: Client, application: Application, pages: dict[str, dict]) -> None:
    """Answer every form section through the pages, as a browser would."""
    for slug, data in pages.items():
        response = client.post(f"/applications/{application.pk}/section/{slug}/", {**data, "action": "continue"})
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
    if sections.section_named(application.product, sections.FAMILY) is not None:
        response = client.post(f"/applications/{application.pk}/family/", {"action": "confirm", "coming": "no"})
        assert response.status_code == 302


def add_ready_documents(application: Application) -> None:
    """Documents the pipeline has accepted (the pipeline itself is tested in tests/applications/documents)."""
    from applications import sections

    application.refresh_from_db()
    for n, kind in enumerate(
        sections.required_document_kinds(application.product, application.track, application.answers)
    ):
        Document.objects.create(
            application=application,
            kind=kind,
            original_name=f"{kind}.pdf",
            file=f"documents/test/{application.pk}-{kind}",
            size=1000,
            sha256=f"{application.pk:032d}{n:032d}",
            detected_type="application/pdf",
            status=Document.Status.READY,
        )
