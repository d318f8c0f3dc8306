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


@pytest.mark.django_db
def test_seeded_states_are_reached_through_the_workflow_and_quotas_fill_before_anyone_waits(tmp_path, settings):
    from django.db.models import Count

    from applications.models import IssuedCard, RequestForInformation
    from applications.services import application_reply
    from applications.states import State
    from eligibility.models import Quota

    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    call_command("seed_demo", force=True, applications=150, verbosity=0)

    # Every case's current state is the target of its last recorded transition.
    for app in Application.objects.exclude(state=State.DRAFT):
        last = AuditEvent.objects.filter(application=app).exclude(to_state="").order_by("created_at", "id").last()
        assert last is not None and last.to_state == app.state, app.reference
    # Approvals took quota places; nobody waits while a place remains.
    # (Cards are issued once the approval commits: in this test's transaction, approved ones wait.)
    assert Application.objects.filter(state__in=[State.APPROVED, State.ISSUED]).exists()
    assert IssuedCard.objects.count() == Application.objects.filter(state=State.ISSUED).count()
    assert not Application.objects.filter(state=State.WAITLISTED).exists()
    granted = Application.objects.filter(product="skills_visa", state__in=[State.APPROVED, State.ISSUED])
    by_sector = dict(granted.values_list("sector").annotate(n=Count("pk")))
    for quota in Quota.objects.filter(product="skills_visa", region=None):
        assert quota.used == by_sector.get(quota.sector, 0), quota.sector
    # Every case waiting for the applicant has its request, and the demo applicant can answer it.
    waiting = Application.objects.filter(state=State.AWAITING_APPLICANT)
    assert RequestForInformation.objects.filter(application__in=waiting, replied_at__isnull=True).count() == (
        waiting.count()
    )
    mine = waiting.get(owner__email="applicant@demo.kz")
    application_reply(application=mine, actor=mine.owner, text="Uploaded a clearer copy.")
    mine.refresh_from_db()
    assert mine.state == State.SUBMITTED
