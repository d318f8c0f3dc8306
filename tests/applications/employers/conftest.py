import pytest


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """English pages, so that assertions read plainly (tests of other languages set their own)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- job offers (issue 19) ------------------------------------------------------------------
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from applications.cards import signing  # noqa: E402
from applications.models import Application  # noqa: E402
from applications.workflow import application_transition  # noqa: E402
from eligibility.products import Product  # noqa: E402

EMPLOYER_BIN = "123456789013"  # the shared ``employer`` fixture's organisation (KZ-55, KZ-75)

VISA_ANSWERS = {
    "occupation": {"occupation_code": "2512"},
    "job_offer": {
        "has_offer": "yes",
        "employer_name": "ACME",
        "employer_bin": EMPLOYER_BIN,
        "monthly_salary_kzt": 900000,
    },
    "regions": {"regions": ["KZ-55", "KZ-11"]},
    "personal": {"date_of_birth": "1990-03-15"},
    "_progress": {"occupation": "completed", "job_offer": "completed", "regions": "completed", "personal": "completed"},
}


@pytest.fixture
def card_key(settings):
    settings.CARD_SIGNING_KEY = signing.private_key_text(Ed25519PrivateKey.generate())
    settings.CARD_SIGNING_KEY_ID = "test-offers"
    settings.CARD_VERIFY_KEYS = ""
    settings.CARD_VERIFY_KEYS_FILE = ""
    settings.CARD_ALLOW_DEV_KEY = False


@pytest.fixture
def visa_submitted(applicant, employer):
    """A Valuable Skills Visa application naming the verified employer, submitted through the
    workflow (the "submit" effect asks the employer)."""
    application = Application.objects.create(
        product=Product.SKILLS_VISA, owner=applicant, applicant_name="JOHN SMITH", answers=VISA_ANSWERS
    )
    return application_transition(application=application, action="submit", actor=applicant)


@pytest.fixture
def offer(visa_submitted):
    return visa_submitted.job_offers.get()


def approve_and_issue(application, caseworker, senior):
    from applications.cards.services import card_issue
    from applications.casework.services import case_claim, decision_confirm, decision_recommend
    from applications.models import LegalGround

    case_claim(application=application, actor=caseworker)
    decision_recommend(
        application=application,
        actor=caseworker,
        recommendation="approve",
        grounds=LegalGround.objects.filter(applies_to="approve", is_active=True)[:1],
        text="Meets the criteria",
    )
    decision_confirm(application=application, actor=senior)
    return card_issue(application=application)
