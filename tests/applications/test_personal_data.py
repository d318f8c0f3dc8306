"""Every record about a person is in their export, and erasure removes every one it should.

The model list comes from the app registry, not from a hand-kept list: a new model with a
path to the user or to an application fails here until applications/privacy.py says where
the export puts it and whether erasure removes it (or why not).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.cards import services as cards
from applications.models import (
    AdministrativeReview,
    Application,
    ApplicationScore,
    CaseNote,
    Decision,
    Document,
    Notification,
    PhoneNumber,
    RequestForInformation,
)
from applications.privacy import NOT_PERSONAL, PERSONAL_DATA, applicant_data, application_erase
from applications.states import State
from applications.stay.services import absence_declare
from applications.workflow import state_writes_for_seeding
from eligibility.models import Region
from portal.api.tokens import api_token_create
from tests.applications.cards.conftest import approve, card_key  # noqa: F401 - card_key: autouse signing key

pytestmark = pytest.mark.django_db


def models_about_a_person() -> set[str]:
    """Labels of every model with a foreign-key path (FK, one-to-one, many-to-many) to the
    user or an application; configuration models in NOT_PERSONAL stop the walk."""
    found = {get_user_model()._meta.label, Application._meta.label}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in found or label in NOT_PERSONAL:
                continue
            for field in model._meta.get_fields():
                related = getattr(field, "related_model", None)
                if field.concrete and field.is_relation and related is not None and related._meta.label in found:
                    found.add(label)
                    changed = True
                    break
    return found


def test_every_model_about_a_person_is_declared_with_its_export_and_erasure():
    missing = models_about_a_person() - set(PERSONAL_DATA)
    assert not missing, f"say how applications/privacy.py exports and erases: {sorted(missing)}"
    stale = set(PERSONAL_DATA) - {m._meta.label for m in apps.get_models()}
    assert not stale
    for label, handling in PERSONAL_DATA.items():
        # A model that is neither exported nor erased must say why, and so must either gap.
        if not handling.export or not handling.erased:
            assert handling.reason, label


def test_the_walk_finds_the_records_the_issue_named():
    found = models_about_a_person()
    for label in (
        "applications.RequestForInformation",
        "applications.IssuedCard",
        "applications.CardShareCode",
        "applications.CardCheck",
        "applications.CardAddress",
        "applications.CardEmployer",
        "portal_api.ApiToken",
        "applications.Notification",
    ):
        assert label in found


def _values(data, path: str) -> list:
    """The values at a path like "applications[].documents" (lists are flattened)."""
    values = [data]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part.removesuffix("[]")
        values = [v[key] for v in values]
        if many:
            values = [item for v in values for item in v]
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return [v for v in flat if v not in (None, "", {}, [])]


@pytest.fixture
def everything(applicant, stranger, caseworker, senior):
    """One person with a record of every kind: a card with its codes, checks, addresses and
    employers; an application with documents, a request for information and its reply, a
    decision, a note, a score, notifications; API tokens and a second-factor device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    application = Application.objects.create(
        product="kandas_card",
        owner=applicant,
        applicant_name="Айгерім Нұрланқызы",
        answers={"personal": {"date_of_birth": "1990-03-15"}},
        region=Region.objects.get(code="KZ-10"),
    )
    Document.objects.create(application=application, kind="passport", original_name="p.pdf", size=3, sha256="a" * 64)
    application = approve(application, caseworker, senior)
    ApplicationScore.store(application, score=72, passes=True, scored_at=timezone.now())
    RequestForInformation.objects.create(
        application=application,
        requested_by=caseworker,
        text="Send your diploma",
        deadline=timezone.now() + timedelta(days=14),
        reply_text="Here it is",
        replied_at=timezone.now(),
    )
    CaseNote.objects.create(application=application, author=caseworker, text="Diploma checked")
    # A review of an earlier refusal, overturned (the case was then decided again and approved).
    AdministrativeReview.objects.create(
        application=application,
        grounds="My diploma was missed",
        due_at=timezone.now(),
        outcome=AdministrativeReview.Outcome.OVERTURNED,
        outcome_reason="Decide again",
    )
    card = cards.card_issue(application=application)
    share = cards.share_code_create(card=card, purpose="work", actor=applicant)
    cards.card_check(number=card.number, code=share.code, ip_address="192.0.2.1", checker="Employer LLP")
    cards.address_register(
        card=card,
        actor=applicant,
        region=Region.objects.get(code="KZ-10"),
        address="1 Abai St",
        registered_on=date.today(),
    )
    cards.employer_register(
        card=card, actor=applicant, employer_name="Kaspi", employer_bin="", position="Engineer", started_on=date.today()
    )
    absence_declare(card=card, actor=applicant, left_on=date.today(), returned_on=None)
    _token, raw = api_token_create(user=applicant, name="my script")
    TOTPDevice.objects.create(user=applicant, name="phone", confirmed=True)
    PhoneNumber.objects.create(
        user=applicant, number="+77011234567", verified_at=timezone.now(), code_hash="f" * 64, pending_number=""
    )
    Notification.objects.get_or_create(
        recipient=applicant,
        idempotency_key="test-inbox",
        defaults={"kind": "test", "language": "en", "channel": "inbox"},
    )
    return {"applicant": applicant, "card": card, "raw_token": raw}


def test_the_export_holds_every_kind_of_record_about_the_person(everything, stranger):
    from applications.privacy import StaticDevice

    StaticDevice.objects.create(user=everything["applicant"], name="recovery codes")
    data = json.loads(json.dumps(applicant_data(everything["applicant"]), default=str))
    for label, handling in PERSONAL_DATA.items():
        if handling.export:
            assert _values(data, handling.export), f"{label}: nothing at {handling.export}"
    rfi = data["applications"][0]["requests_for_information"][0]
    assert (rfi["text"], rfi["reply_text"]) == ("Send your diploma", "Here it is")
    assert data["cards"][0]["checks"][0]["checker"] == "Employer LLP"
    text = json.dumps(data)
    assert everything["raw_token"] not in text and "digest" not in text  # token metadata only
    assert "f" * 64 not in text  # the phone number, never its code's hash
    assert "192.0.2.1" not in text  # the checker's address is not the holder's data
    assert "caseworker@example.kz" not in text  # staff stay unnamed


def test_the_export_holds_nothing_of_another_person(everything, stranger):
    data = applicant_data(stranger)
    assert data["applications"] == [] and data["cards"] == [] and data["api_tokens"] == []


def test_erasure_removes_every_record_it_declares_and_every_file(
    applicant, caseworker, employer, django_capture_on_commit_callbacks
):
    with state_writes_for_seeding():
        application = Application.objects.create(product="kandas_card", owner=applicant, state=State.WITHDRAWN)
    stored = []
    for n in range(2):
        document = Document(
            application=application, kind="passport", original_name=f"{n}.jpg", size=1, sha256=f"{n}" * 64
        )
        for field in ("file", "sanitised_file", "thumbnail"):
            getattr(document, field).save(f"{field}.jpg", ContentFile(b"x"), save=False)
            stored.append((getattr(document, field).storage, getattr(document, field).name))
        document.save()
    ApplicationScore.store(application, score=50, passes=True, scored_at=timezone.now())
    RequestForInformation.objects.create(
        application=application, requested_by=caseworker, text="?", deadline=timezone.now(), reply_text="!"
    )
    refusal = Decision.objects.create(
        application=application, recommendation="refuse", text="r", recommended_by=caseworker
    )
    AdministrativeReview.objects.create(application=application, refusal=refusal, grounds="g", due_at=timezone.now())
    CaseNote.objects.create(application=application, author=caseworker, text="n")
    Notification.objects.create(
        recipient=applicant, application=application, kind="k", language="en", idempotency_key="erase-me"
    )
    from applications.employers.models import JobOffer

    JobOffer.objects.create(application=application, employer=employer.employer, position="Engineer")
    erased = [apps.get_model(label) for label, handling in PERSONAL_DATA.items() if handling.erased]

    def rows(model) -> int:
        key = "pk" if model is Application else "application_id"
        return model.objects.filter(**{key: application.pk}).count()

    assert all(rows(model) for model in erased)
    assert len(stored) == 6 and all(storage.exists(name) for storage, name in stored)
    with django_capture_on_commit_callbacks(execute=True):
        application_erase(application=application, actor=applicant, reason="applicant request")
    assert {model._meta.label: rows(model) for model in erased} == {model._meta.label: 0 for model in erased}
    assert [name for storage, name in stored if storage.exists(name)] == []
