"""Issue 16: upload pages state the size limit and accepted types before the file input."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications.documents import policy
from applications.documents.policy import MB, KindPolicy, upload_limits
from applications.workflow import application_transition
from tests.applications.casework.conftest import build_case

pytestmark = pytest.mark.django_db


def _before_the_input(body: str, text: str) -> bool:
    return text in body and body.index(text) < body.index('type="file"')


def test_the_photo_page_names_picture_types_only_and_the_limit_before_the_input(applicant_client, visa_draft):
    response = applicant_client.get(f"/applications/{visa_draft.pk}/documents/upload/photo/")
    body = response.content.decode()
    assert _before_the_input(body, "Accepted files: JPEG, PNG, or HEIC, up to 10 MB each.")
    accept = body.split('accept="')[1].split('"')[0]
    assert ".jpg" in accept and ".heic" in accept and ".pdf" not in accept


def test_the_page_with_a_kind_select_names_each_kind_with_another_limit(applicant_client, kandas_draft):
    body = applicant_client.get(reverse("documents:upload", args=[kandas_draft.pk])).content.decode()
    assert _before_the_input(body, "Accepted files: JPEG, PNG, HEIC, or PDF, up to 10 MB each.")
    assert "Business accounts: up to 20 MB." in body or "business accounts: up to 20 MB." in body.lower()


def test_the_reply_form_states_the_limits_and_the_number_of_files(applicant_client, verified_applicant, caseworker):
    app = build_case(verified_applicant)
    application_transition(application=app, action="start_review", actor=caseworker)
    application_transition(application=app, action="request_info", actor=caseworker, reason="More please")
    body = applicant_client.get(f"/applications/{app.pk}/status/").content.decode()
    assert _before_the_input(body, "up to 10 MB each. No more than 5 files.")


def test_the_limits_follow_the_policy_and_the_language(monkeypatch):
    monkeypatch.setitem(
        policy.DEFAULT_POLICIES,
        "photo",
        KindPolicy(kind="photo", allowed_types=frozenset({"image/png"}), max_bytes=3 * MB),
    )
    with translation.override("en"):
        assert upload_limits(["photo"]).hint == "Accepted files: PNG, up to 3 MB each."
    with translation.override("ru"):
        assert upload_limits(["passport"]).hint == "Допустимые файлы: JPEG, PNG, HEIC или PDF, до 10 МБ каждый."
