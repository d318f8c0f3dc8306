"""Caseworkers see only the cases of their queues: anything else is a 404."""

import pytest
from django.urls import reverse

from applications.access import application_for
from applications.models import Queue
from applications.states import State


@pytest.mark.django_db
def test_caseworker_outside_the_queue_gets_404_for_its_cases(client, make_case, caseworker_outside):
    app = make_case(state=State.SUBMITTED)
    client.force_login(caseworker_outside)
    assert client.get(reverse("casework:case", args=[app.pk])).status_code == 404
    assert client.post(reverse("casework:case_action", args=[app.pk, "claim"])).status_code == 404


@pytest.mark.django_db
def test_caseworker_in_the_queue_sees_the_case(client, make_case, caseworker):
    app = make_case(state=State.SUBMITTED)
    client.force_login(caseworker)
    response = client.get(reverse("casework:case", args=[app.pk]))
    assert response.status_code == 200
    assert app.reference in response.content.decode()


@pytest.mark.django_db
def test_a_regional_queue_shows_only_its_regions_cases(client, make_case, caseworker_outside):
    queue = Queue.objects.create(name="Pavlodar kandas", product="kandas_card")
    queue.regions.set(["KZ-55"])
    queue.caseworkers.add(caseworker_outside)
    inside = make_case(state=State.SUBMITTED, region_id="KZ-55")
    other_region = make_case(state=State.SUBMITTED, region_id="KZ-11")
    other_product = make_case(state=State.SUBMITTED, region_id="KZ-55", product="skills_visa")
    assert application_for(caseworker_outside, inside.pk) == inside
    client.force_login(caseworker_outside)
    for app in (other_region, other_product):
        assert client.get(reverse("casework:case", args=[app.pk])).status_code == 404
    page = client.get(reverse("casework:queue")).content.decode()
    assert inside.reference in page
    assert other_region.reference not in page and other_product.reference not in page


@pytest.mark.django_db
def test_applicants_and_admins_get_404_for_the_workbench(client, make_case, people):
    app = make_case(state=State.SUBMITTED)
    for name in ("applicant", "stranger", "criteria_admin"):
        client.force_login(people[name])
        assert client.get(reverse("casework:queue")).status_code == 404, name
        assert client.get(reverse("casework:case", args=[app.pk])).status_code == 404, name


@pytest.mark.django_db
def test_internal_notes_never_reach_the_applicant(client, make_case, caseworker, applicant):
    from applications.casework.services import note_add

    app = make_case(state=State.SUBMITTED)
    note_add(application=app, actor=caseworker, text="Passport photo looks edited")
    client.force_login(applicant)
    assert client.get(reverse("casework:case", args=[app.pk])).status_code == 404
