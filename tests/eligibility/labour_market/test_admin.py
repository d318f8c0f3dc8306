"""The criteria admin's upload page and the shortage model's versions in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eligibility.labour_market.models import LabourMarketImport, ShortageModel
from portal.audit.models import AuditEvent
from tests.eligibility.labour_market.test_imports import GOOD, _csv

pytestmark = pytest.mark.django_db
UPLOAD = reverse("admin:labour_market_labourmarketimport_add")


def test_the_upload_page_imports_a_good_file(client, criteria_admin):
    client.force_login(criteria_admin)
    assert client.get(UPLOAD).status_code == 200
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("lm.csv", _csv(GOOD)), "long_open_days": 45})
    assert response.status_code == 302
    imp = LabourMarketImport.objects.get()
    assert (imp.row_count, imp.long_open_days, imp.imported_by) == (2, 45, criteria_admin)


def test_the_upload_page_names_bad_rows_and_saves_nothing(client, criteria_admin):
    client.force_login(criteria_admin)
    bad = [*GOOD, ["2023", "KZ-10", "2221", "x", "0", "1", "1", "1"]]
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("lm.csv", _csv(bad)), "long_open_days": 60})
    assert response.status_code == 200
    assert "vacancies_posted" in response.content.decode() and "errornote" in response.content.decode()
    assert not LabourMarketImport.objects.exists()


def test_a_caseworker_cannot_upload(client, caseworker):
    client.force_login(caseworker)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("lm.csv", _csv(GOOD)), "long_open_days": 60})
    assert response.status_code in (302, 403, 404)
    assert not LabourMarketImport.objects.exists()


def test_saving_weights_makes_a_new_version_and_never_edits_one(client, criteria_admin):
    client.force_login(criteria_admin)
    add = reverse("admin:labour_market_shortagemodel_add")
    form = {
        "weight_vacancy_ratio": "2",
        "weight_long_open": "1",
        "weight_wage_growth": "1",
        "weight_employment_growth": "0",
        "priority_1_from": "0.9",
        "priority_2_from": "0.8",
        "priority_3_from": "0.7",
        "min_vacancies": "50",
        "note": "Demand first",
    }
    assert client.post(add, form).status_code == 302
    latest = ShortageModel.objects.order_by("-version").first()
    assert (latest.version, latest.weight_employment_growth, latest.created_by) == (2, 0, criteria_admin)
    assert AuditEvent.objects.filter(action="labour_market.model", object_id=str(latest.pk)).exists()
    refused = client.post(add, {**form, "priority_1_from": "0.5"})
    assert refused.status_code == 200 and ShortageModel.objects.count() == 2
    change = reverse("admin:labour_market_shortagemodel_change", args=[latest.pk])
    client.post(change, {**form, "weight_vacancy_ratio": "9"})
    latest.refresh_from_db()
    assert latest.weight_vacancy_ratio == 2
