"""Fixtures for the card tests: an application brought to APPROVED through the workflow, keys."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from applications.cards import signing
from applications.cards.services import card_issue
from applications.models import Application
from applications.workflow import application_transition
from eligibility.models import Region
from eligibility.products import Product


@pytest.fixture(autouse=True)
def card_key(settings):
    """A fresh signing key per test, from settings like production (no dev key file)."""
    key = Ed25519PrivateKey.generate()
    settings.CARD_SIGNING_KEY = signing.private_key_text(key)
    settings.CARD_SIGNING_KEY_ID = "test-2026"
    settings.CARD_VERIFY_KEYS = ""
    settings.CARD_VERIFY_KEYS_FILE = ""
    settings.CARD_ALLOW_DEV_KEY = False
    return key


def approve(application: Application, caseworker, senior) -> Application:
    """Submit, claim, recommend with a legal ground, confirm: the casework path to APPROVED."""
    from applications.casework.services import case_claim, decision_confirm, decision_recommend
    from applications.models import LegalGround

    application_transition(application=application, action="submit", actor=application.owner)
    case_claim(application=application, actor=caseworker)
    decision_recommend(
        application=application,
        actor=caseworker,
        recommendation="approve",
        grounds=LegalGround.objects.filter(applies_to="approve", is_active=True)[:1],
        text="Meets the criteria",
    )
    return decision_confirm(application=application, actor=senior)


@pytest.fixture
def make_approved(applicant, caseworker, senior):
    def make(product: str = Product.KANDAS_CARD, **fields) -> Application:
        fields.setdefault("applicant_name", "Айгерім Нұрланқызы")
        fields.setdefault("answers", {"personal": {"date_of_birth": "1990-03-15"}})
        fields.setdefault("region", Region.objects.get(code="KZ-10") if product == Product.KANDAS_CARD else None)
        application = Application.objects.create(product=product, owner=fields.pop("owner", applicant), **fields)
        return approve(application, caseworker, senior)

    return make


@pytest.fixture
def card(make_approved):
    return card_issue(application=make_approved())


@pytest.fixture
def client(client):
    """Pages in English (the default language is Kazakh); other tests switch language explicitly."""
    client.cookies["portal_language"] = "en"
    return client
