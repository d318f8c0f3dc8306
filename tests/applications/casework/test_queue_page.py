"""The queue page: filters, search, sort, worklist default, capped count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.states import State


@pytest.fixture
def en_client(client, caseworker, settings):
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _refs(client, **params):
    response = client.get(reverse("casework:queue"), params)
    assert response.status_code == 200
    return {case.reference for case in response.context["page"].object_list}


@pytest.mark.django_db
def test_filters_search_and_sort_read_the_indexed_columns(en_client, make_case):
    now = timezone.now()
    it_kc = make_case(sector="it", score=91, region_id="KZ-55", applicant_name="Aigerim Nurlanova")
    health_vs = make_case(product="skills_visa", sector="healthcare", score=55, region_id="KZ-75")
    old = make_case(sector="it", score=70, submitted_at=now - timedelta(days=20), sla_due_at=now - timedelta(days=15))
    closed = make_case(state=State.REFUSED)
    assert _refs(en_client) == {it_kc.reference, health_vs.reference, old.reference}  # worklist: open cases
    assert _refs(en_client, state="refused") == {closed.reference}
    assert _refs(en_client, product="skills_visa") == {health_vs.reference}
    assert _refs(en_client, region="KZ-75") == {health_vs.reference}
    assert _refs(en_client, sector="it", score_min=80) == {it_kc.reference}
    assert _refs(en_client, score_max=60) == {health_vs.reference}
    assert _refs(en_client, older_than=10) == {old.reference}
    assert _refs(en_client, sla="breached") == {old.reference}
    assert _refs(en_client, q="nurlanOVA") == {it_kc.reference}
    assert _refs(en_client, q=health_vs.reference.lower()) == {health_vs.reference}
    page = en_client.get(reverse("casework:queue"), {"sort": "score"}).context["page"]
    assert [c.reference for c in page.object_list] == [it_kc.reference, old.reference, health_vs.reference]


@pytest.mark.django_db
def test_a_large_result_shows_a_capped_count(en_client, make_case, settings):
    settings.CASEWORK_COUNT_CAP = 3
    settings.CASEWORK_PAGE_SIZE = 2
    for _ in range(5):
        make_case()
    page = en_client.get(reverse("casework:queue")).content.decode()
    assert "More than 3 cases" in page
    assert "Page 1 of 2" in page


@pytest.mark.django_db
def test_the_score_filter_reads_the_indexed_score_of_the_narrow_score_table(make_case):
    """Scores live in ApplicationScore (rescoring rewrites only those narrow rows); the queue's
    score range still reads an indexed column: with a selective range PostgreSQL walks it."""
    from django.db import connection

    from applications.casework_filters import WORKLIST_STATES, QueueFilter
    from applications.models import Application

    for score in range(40):
        make_case(score=score)
    with connection.cursor() as cur:
        cur.execute("ANALYZE applications_application; ANALYZE applications_applicationscore")
    base = Application.objects.filter(state__in=WORKLIST_STATES)
    qs = QueueFilter({"score_min": "38", "score_max": "39"}, queryset=base).qs
    assert sorted(a.score for a in qs.select_related("scoring")) == [38, 39]
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "applications_applicationscore_score" in plan, plan
