"""Queue and case pages run a fixed number of SQL queries, whatever the number of cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.demo_seed import seed_applications
from applications.models import Application, Document
from applications.states import State


def _queries(client, url):
    # Warm up first: the staff session's last-seen touch (portal.twofactor, once a minute) and
    # the in-process region list are not the page's queries, and seeding may take a minute.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 1000])
def test_queue_and_case_pages_use_a_constant_number_of_queries(
    size, client, caseworker, senior, django_assert_max_num_queries, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    seed_applications(size)
    case = Application.objects.exclude(state=State.DRAFT).order_by("pk").first()
    # A case with many documents, notes and history must not cost more queries.
    Document.objects.bulk_create(
        [Document(application=case, kind="other", original_name=f"{i}.png", file="x") for i in range(50)]
    )
    for user in (caseworker, senior):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            client.get(reverse("casework:queue"))
        with django_assert_max_num_queries(12):
            client.get(reverse("casework:queue") + "?product=kandas_card&sort=score&sla=breached&q=a")
        # 22: the page's own reads plus one each for the MRZ panel and the holder's stay;
        # a recommended case (the first one at 1,000) adds its decision's reads.
        with django_assert_max_num_queries(22):
            client.get(reverse("casework:case", args=[case.pk]))


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_pool(client, senior, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path)}},
    }
    client.force_login(senior)
    seed_applications(10)
    case = Application.objects.exclude(state=State.DRAFT).order_by("pk").first()
    small = (_queries(client, reverse("casework:queue")), _queries(client, reverse("casework:case", args=[case.pk])))
    seed_applications(1000, rng_seed=7)
    large = (_queries(client, reverse("casework:queue")), _queries(client, reverse("casework:case", args=[case.pk])))
    assert small == large
