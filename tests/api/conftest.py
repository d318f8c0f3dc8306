"""API test helpers: clients signed in as each role (by token), and applications in any state."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from applications.models import Application
from applications.states import State
from applications.workflow import state_writes_for_seeding
from portal.api.tokens import api_token_create

ROLES = ("applicant", "stranger", "caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor")


@pytest.fixture(autouse=True)
def _fresh_throttles(settings):
    """Throttle counters live in the cache (Redis): start every test from zero."""
    caches[settings.API_THROTTLE_CACHE].clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The people fixture sets seven passwords per test; PBKDF2 would take seconds each time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def confirm_totp(user):
    """A confirmed authenticator for the user (staff tokens require one, as the web's sign-in does)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    return device


def api_token_for(user, scope: str = "write") -> str:
    """A raw token for ``user``, staff included (they get their authenticator first)."""
    from portal.twofactor import is_staff_member

    if is_staff_member(user):
        confirm_totp(user)
    _token, raw = api_token_create(user=user, scope=scope)
    return raw


def token_client(user, scope: str = "write") -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_for(user, scope)}")
    return client


def verify(*users) -> None:
    """Applicants act through the API once their e-mail address is verified (as on the web)."""
    from django.utils import timezone

    for user in users:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


@pytest.fixture
def verified_people(people) -> dict:
    verify(*people.values())
    return people


@pytest.fixture
def clients(verified_people) -> dict[str, APIClient]:
    """One write-scoped token client per role, plus "anonymous"."""
    out = {name: token_client(user) for name, user in verified_people.items()}
    out["anonymous"] = APIClient()
    return out


def make_application(owner, *, product: str = "kandas_card", state: str = State.DRAFT, **fields) -> Application:
    with state_writes_for_seeding():
        return Application.objects.create(owner=owner, product=product, state=state, **fields)


@pytest.fixture
def draft(applicant) -> Application:
    return make_application(applicant, answers={"personal": {"given_name": "Aigerim"}})


@pytest.fixture
def submitted(applicant) -> Application:
    from django.utils import timezone

    return make_application(applicant, state=State.SUBMITTED, reference="KC-2026-000001", submitted_at=timezone.now())


def issue_card(settings, owner):
    """A card issued by the cards service for an approved application, signed with a test key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from applications.cards import signing
    from applications.cards.services import card_issue

    settings.CARD_SIGNING_KEY = signing.private_key_text(Ed25519PrivateKey.generate())
    settings.CARD_SIGNING_KEY_ID = "api-test"
    settings.CARD_VERIFY_KEYS = ""
    settings.CARD_VERIFY_KEYS_FILE = ""
    settings.CARD_ALLOW_DEV_KEY = False
    application = make_application(
        owner,
        state=State.APPROVED,
        reference="KC-2026-000777",
        applicant_name="AIGERIM BEKOVA",
        region_id="KZ-55",
        answers={"personal": {"date_of_birth": "1990-03-15"}},
    )
    return card_issue(application=application)


def example_module():
    """docs/examples/api_submit.py loaded as a module (its answers and file generators)."""
    import importlib.util
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.BASE_DIR) / "docs" / "examples" / "api_submit.py"
    spec = importlib.util.spec_from_file_location("api_submit_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
