"""Sign-ins and refused access are logged as JSON in UTC on portal.security, not in AuditEvent."""

import json
import logging

import pytest
from django.http import Http404
from django.test import Client

from applications.access import application_for
from applications.models import Application
from portal.audit.models import AuditEvent
from portal.security_log import JsonFormatter
from tests.portal.security_helpers import sign_in

pytestmark = pytest.mark.django_db


def test_successful_sign_in_is_logged_with_user_ip_and_utc_time(applicant, security_log):
    sign_in(Client(), applicant.email)
    [record] = security_log.events("sign_in_succeeded")
    assert record["user_id"] == applicant.pk
    assert record["ip"] == "10.9.8.7"
    assert record["time"].endswith("Z")
    assert not AuditEvent.objects.exists()


def test_failed_sign_in_is_logged_without_the_password(applicant, security_log):
    sign_in(Client(), applicant.email, "wrong-password-xyz")
    [record] = security_log.events("sign_in_failed")
    assert record["username"] == applicant.email
    assert record["level"] == "WARNING"
    assert "wrong-password-xyz" not in json.dumps(security_log.records)


def test_refused_access_to_an_existing_application_is_logged(applicant, stranger, security_log):
    application = Application.objects.create(product="kandas_card", owner=applicant)
    with pytest.raises(Http404):
        application_for(stranger, application.pk)
    [record] = security_log.events("access_refused")
    assert record["user_id"] == stranger.pk
    assert record["object_type"] == "applications.application"
    assert record["object_id"] == str(application.pk)


def test_asking_for_an_application_that_does_not_exist_is_not_an_access_refusal(stranger, security_log):
    with pytest.raises(Http404):
        application_for(stranger, 987654)
    assert security_log.events("access_refused") == []


def test_formatter_writes_one_json_object_per_record_in_utc():
    record = logging.LogRecord("portal.security", logging.INFO, __file__, 1, "x", None, None)
    record.created = 0.0
    record.event = "sign_in_failed"
    record.fields = {"username": "a@b.c"}
    line = JsonFormatter().format(record)
    assert json.loads(line) == {
        "time": "1970-01-01T00:00:00.000Z",
        "level": "INFO",
        "logger": "portal.security",
        "event": "sign_in_failed",
        "username": "a@b.c",
    }


def test_refused_access_to_an_existing_document_is_logged(applicant, auditor, security_log):
    from applications.documents.access import document_for
    from applications.models import Document

    application = Application.objects.create(product="kandas_card", owner=applicant)
    document = Document.objects.create(
        application=application, kind=Document.Kind.PASSPORT, original_name="p.pdf", file="documents/x/y"
    )
    with pytest.raises(Http404):
        document_for(auditor, document.pk)
    [record] = security_log.events("access_refused")
    assert record["object_type"] == "applications.document"
    assert record["object_id"] == str(document.pk)
    assert record["user_id"] == auditor.pk
