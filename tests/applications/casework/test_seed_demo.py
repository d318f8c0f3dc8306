"""seed_demo --applications N: realistic demo cases in bulk, and the demo staff in queues."""

import pytest
from django.core.management import call_command

from applications.casework.queues import cases_in_queues
from applications.models import Application, Document, Queue
from portal.audit.models import AuditEvent
from portal.models import User


@pytest.mark.django_db
def test_seed_demo_tops_up_to_n_varied_applications_and_fills_the_queues(tmp_path, settings):
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    call_command("seed_demo", force=True, applications=120, verbosity=0)
    assert Application.objects.count() == 120
    assert set(Application.objects.values_list("product", flat=True)) == {"kandas_card", "skills_visa"}
    assert Application.objects.values("state").distinct().count() >= 6
    assert Application.objects.values("region").distinct().count() >= 8
    submitted = Application.objects.exclude(state="draft")
    assert not submitted.filter(reference__isnull=True).exists()
    assert Document.objects.filter(application__in=submitted).count() >= submitted.count()
    assert AuditEvent.objects.filter(action="submit").count() == submitted.count()
    assert sorted(tmp_path.rglob("*.png"))  # small generated images, stored privately
    call_command("seed_demo", force=True, applications=120, verbosity=0)
    assert Application.objects.count() == 120
    caseworker = User.objects.get(email="caseworker@demo.kz")
    assert Queue.objects.filter(caseworkers=caseworker).count() == 3
    assert cases_in_queues(caseworker).count() == submitted.count()
    assert Application.objects.filter(owner__email="applicant@demo.kz", state="awaiting_applicant").exists()
