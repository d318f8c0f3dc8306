"""A new product is one declaration module plus its forms: a test-only Research Fellowship
goes from draft to issued card through the ordinary pages and services."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from applications import products, services
from applications.cards.services import card_check, card_issue, share_code_create
from applications.casework.services import case_claim, decision_confirm, decision_recommend
from applications.models import Application, Document, LegalGround
from applications.states import State
from eligibility.engine import CriteriaError
from eligibility.services import criteria_set_import, criteria_set_publish
from tests.applications.applicant.conftest import KANDAS_PAGES, png_bytes, verify
from tests.applications.products import research_fellowship as fellowship

pytestmark = pytest.mark.django_db

PAGES = {
    "personal": {**KANDAS_PAGES["personal"], "citizenship": "DE"},
    "passport": {**KANDAS_PAGES["passport"], "passport_number": "C01X00T47", "passport_country": "DE"},
    "contact": {**KANDAS_PAGES["contact"], "country": "DE", "city": "Berlin", "phone": "+49 30 1234567"},
    "fellowship": {"host_institution": "Nazarbayev University", "publications": "7"},
    "declarations": {"true_and_complete": "on", "data_processing": "on", "conditions": "on"},
}


@pytest.fixture
def fellowship_product():
    products.register(fellowship.DECLARATION)
    yield fellowship.DECLARATION
    products.unregister(fellowship.CODE)


def _pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})  # one file per kind: the same bytes twice is a duplicate
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _upload(application: Application, kind: str, actor) -> None:
    if kind == Document.Kind.PHOTO:
        uploaded = SimpleUploadedFile("photo.png", png_bytes(size=(600, 800)), content_type="image/png")
    else:
        uploaded = SimpleUploadedFile(f"{kind}.pdf", _pdf(kind), content_type="application/pdf")
    services.document_add(application=application, kind=kind, uploaded=uploaded, actor=actor)


def test_a_third_product_runs_from_draft_to_issued_card(
    fellowship_product, applicant, caseworker, senior, criteria_admin, django_capture_on_commit_callbacks, settings
):
    settings.CARD_ALLOW_DEV_KEY = True
    criteria_set_publish(
        criteria_set=criteria_set_import(data=fellowship.CRITERIA, actor=criteria_admin), actor=criteria_admin
    )
    client = Client()
    client.force_login(verify(applicant))
    client.cookies["portal_language"] = "en"

    # The chooser offers it, the task list is its declaration's sections.
    assert "Research Fellowship" in client.get("/applications/new/").content.decode()
    response = client.post("/applications/new/", {"product": fellowship.CODE})
    application = Application.objects.get(owner=applicant, product=fellowship.CODE)
    assert response.status_code == 302
    tasks = client.get(f"/applications/{application.pk}/tasks/").content.decode()
    assert "Fellowship" in tasks and "Region of arrival" not in tasks
    assert client.get(f"/applications/{application.pk}/family/").status_code == 404  # it asks no family

    for slug, data in PAGES.items():
        response = client.post(f"/applications/{application.pk}/section/{slug}/", {**data, "action": "continue"})
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
    with django_capture_on_commit_callbacks(execute=True):
        for kind in fellowship_product.required_documents("", {}):
            _upload(application, kind, applicant)
    assert set(application.documents.values_list("status", flat=True)) == {Document.Status.READY}

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(application=application, actor=applicant)
    assert submitted.reference.startswith("RF-")
    confirmation = client.get(f"/applications/{application.pk}/submitted/").content.decode()
    assert submitted.reference in confirmation and "three linked decisions" not in confirmation  # the Kandas note
    submitted.refresh_from_db()
    # Scored on its own facts by its own criteria: 7 publications, a host institution.
    assert submitted.scoring.passes is True and submitted.scoring.score == 15

    case_claim(application=submitted, actor=caseworker)
    decision_recommend(
        application=submitted,
        actor=caseworker,
        recommendation="approve",
        grounds=LegalGround.objects.filter(applies_to="approve", is_active=True)[:1],
        text="Meets the criteria",
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision_confirm(application=submitted, actor=senior)
    submitted.refresh_from_db()
    card = getattr(submitted, "card", None) or card_issue(application=submitted)
    submitted.refresh_from_db()
    assert submitted.state == State.ISSUED
    assert card.number.startswith("RF")
    assert (card.valid_until - card.valid_from).days in (364, 365)  # declared: 1 year
    assert card.citizenship_eligible_on is None and card.permitted_regions.count() == 0
    share = share_code_create(card=card, purpose="work", actor=applicant)
    check = card_check(number=card.number, code=share.code, ip_address=None)
    assert check.found and check.rights == "May do research at the host institution."


def test_publishing_criteria_that_read_a_fact_the_product_never_produces_is_refused(fellowship_product, criteria_admin):
    data = {
        **fellowship.CRITERIA,
        "facts": [*fellowship.CRITERIA["facts"], {"name": "kazakh_language", "type": "string", "label": "Kazakh"}],
        "factors": [
            *fellowship.CRITERIA["factors"],
            {
                "id": "kazakh",
                "kind": "choices",
                "label": "Kazakh",
                "fact": "kazakh_language",
                "choices": [{"value": "fluent", "points": 10}],
            },
        ],
        "translations": {**fellowship.CRITERIA["translations"], "Kazakh": {"kk": "Қазақ тілі", "ru": "Казахский язык"}},
    }
    draft = criteria_set_import(data=data, actor=criteria_admin)
    with pytest.raises(CriteriaError) as refused:
        criteria_set_publish(criteria_set=draft, actor=criteria_admin)
    assert [(i.subject, "kazakh_language" in i.message) for i in refused.value.issues] == [("factor kazakh", True)]
    draft.refresh_from_db()
    assert draft.status == "draft"
