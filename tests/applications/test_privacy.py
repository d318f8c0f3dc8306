"""Masked identifiers in lists, data export, erasure of drafts/withdrawn cases, retention."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Document, Notification
from applications.privacy import ErasureRefused, application_erase, retention_enforce
from applications.states import State
from applications.workflow import application_transition, state_writes_for_seeding
from portal import privacy
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def application_with_document(owner, content: bytes = b"%PDF-1.4 passport scan") -> tuple[Application, Document]:
    application = Application.objects.create(
        product="kandas_card",
        owner=owner,
        applicant_name="Aigerim Bekova",
        passport_number="N12345678",
        answers={"personal": {"date_of_birth": "1988-04-12"}},
    )
    document = Document(application=application, kind=Document.Kind.PASSPORT, original_name="паспорт scan.pdf")
    document.file.save("x", ContentFile(content), save=False)
    document.size = len(content)
    document.save()
    return application, document


@pytest.mark.parametrize(
    ("role", "passport", "dob"),
    [
        ("caseworker", "N12345678", "1988-04-12"),
        ("senior", "N12345678", "1988-04-12"),
        ("auditor", "••••••678", "••••-••-•• (1988)"),
        ("criteria_admin", "••••••678", "••••-••-•• (1988)"),
        ("stranger", "••••••678", "••••-••-•• (1988)"),
    ],
)
def test_list_filters_mask_identifiers_for_roles_that_do_not_need_them(people, role, passport, dob):
    template = Template("{% load privacy %}{{ p|passport_for:user }}|{{ d|birth_date_for:user }}")
    rendered = template.render(Context({"p": "N12345678", "d": "1988-04-12", "user": people[role]}))
    assert rendered == f"{passport}|{dob}"


def test_owner_sees_own_passport_in_full(applicant, stranger):
    application = Application(owner=applicant, passport_number="N12345678")
    template = Template("{% load privacy %}{{ a|application_passport_for:user }}")
    assert template.render(Context({"a": application, "user": applicant})) == "N12345678"
    assert template.render(Context({"a": application, "user": stranger})) == "••••••678"


def test_masking_keeps_empty_values_empty():
    assert privacy.passport_masked("") == "" and privacy.birth_date_masked(None) == ""


def test_export_zip_holds_data_json_and_the_uploaded_files(applicant, stranger):
    application, document = application_with_document(applicant, b"my passport bytes")
    application_with_document(stranger, b"not mine")
    client = Client()
    client.force_login(applicant)
    response = client.post(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == applicant.email
    assert [a["id"] for a in data["applications"]] == [application.pk]
    assert data["applications"][0]["answers"] == {"personal": {"date_of_birth": "1988-04-12"}}
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert files == [f"files/application-{application.pk}/{document.pk}-паспорт scan.pdf"]
    assert archive.read(files[0]) == b"my passport bytes"


def test_export_needs_a_signed_in_user():
    assert Client().post(reverse("privacy:download")).status_code == 302


def test_erasing_a_draft_removes_answers_documents_and_files_but_keeps_the_audit_record(
    applicant, django_capture_on_commit_callbacks
):
    application, document = application_with_document(applicant)
    storage, name = document.file.storage, document.file.name
    pk = application.pk
    client = Client()
    client.force_login(applicant)
    assert client.get(reverse("privacy:erase", args=[pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:erase", args=[pk]))
    assert response.status_code == 302
    assert not Application.objects.filter(pk=pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)
    [event] = AuditEvent.objects.filter(object_type="applications.application", object_id=str(pk))
    assert event.action == "application_erased"
    assert event.actor == applicant
    assert event.snapshot["documents_erased"] == 1
    assert "N12345678" not in json.dumps(event.snapshot)


def test_erasing_a_withdrawn_application_keeps_its_earlier_audit_rows_intact(applicant):
    from django.core.management import call_command

    application, _ = application_with_document(applicant)
    application_transition(application=application, action="withdraw", actor=applicant)
    application_erase(application=application, actor=applicant, reason="applicant request")
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions[-1] == "application_erased" and len(actions) >= 2
    call_command("verify_audit")  # the chain survives the erasure


def test_submitted_applications_cannot_be_erased(applicant):
    application, _ = application_with_document(applicant)
    with state_writes_for_seeding():
        Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    application.refresh_from_db()
    with pytest.raises(ErasureRefused):
        application_erase(application=application, actor=applicant, reason="try")
    client = Client()
    client.force_login(applicant)
    assert client.post(reverse("privacy:erase", args=[application.pk])).status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()


def test_nobody_else_can_erase_an_application(applicant, stranger, caseworker):
    application, _ = application_with_document(applicant)
    for user in (stranger, caseworker):
        client = Client()
        client.force_login(user)
        assert client.post(reverse("privacy:erase", args=[application.pk])).status_code == 404
    assert Application.objects.filter(pk=application.pk).exists()


def test_retention_erases_stale_drafts_and_old_sent_notifications_only(applicant, settings):
    old = timezone.now() - timedelta(days=settings.RETENTION_DRAFT_DAYS + 1)
    stale, _ = application_with_document(applicant)
    fresh, _ = application_with_document(applicant)
    Application.objects.filter(pk=stale.pk).update(updated_at=old)
    sent = Notification.objects.create(
        recipient=applicant, kind="generic", language="kk", status="sent", idempotency_key="old-sent"
    )
    pending = Notification.objects.create(recipient=applicant, kind="generic", language="kk", idempotency_key="p")
    Notification.objects.filter(pk__in=[sent.pk, pending.pk]).update(
        created_at=timezone.now() - timedelta(days=settings.RETENTION_NOTIFICATION_DAYS + 1)
    )
    counts = retention_enforce()
    assert counts["drafts"] == 1 and counts["notifications"] == 1
    assert not Application.objects.filter(pk=stale.pk).exists()
    assert Application.objects.filter(pk=fresh.pk).exists()
    assert list(Notification.objects.values_list("pk", flat=True)) == [pending.pk]
    assert AuditEvent.objects.get(object_id=str(stale.pk)).reason == "retention period ended"


def test_retention_runs_daily_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["retention-enforce"]
    assert entry["task"] == "portal.retention_enforce" and entry["schedule"] == 86400
