"""The queue page: filters, search, sort, worklist default, capped count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.states import State
from tests.services import require_postgres


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
def test_a_large_result_is_paged_without_a_count_and_the_last_page_is_exact(en_client, make_case, settings):
    settings.CASEWORK_PAGE_SIZE = 2
    refs = [make_case(priority=1, submitted_at=timezone.now() - timedelta(days=10 - i)).reference for i in range(5)]
    response = en_client.get(reverse("casework:queue"))
    page = response.content.decode()
    # More than a page: the total is the planner's estimate, never fewer than what is known.
    assert response.context["page"].paginator.is_estimate
    assert "About " in page and "Page 1<" in page and 'rel="next"' in page
    assert [c.reference for c in response.context["page"].object_list] == refs[:2]
    response = en_client.get(reverse("casework:queue"), {"page": 3})
    page = response.content.decode()
    assert "5 cases" in page and "Page 3 of 3" in page and 'rel="next"' not in page
    assert [c.reference for c in response.context["page"].object_list] == refs[4:]
    # A page past the end (the list shrank) falls back to the first.
    assert en_client.get(reverse("casework:queue"), {"page": 9}).context["page"].number == 1


@pytest.mark.django_db
def test_pages_stop_at_the_count_cap(en_client, make_case, settings):
    settings.CASEWORK_PAGE_SIZE = 2
    settings.CASEWORK_COUNT_CAP = 4
    for _ in range(7):
        make_case()
    response = en_client.get(reverse("casework:queue"), {"page": 2})
    assert response.context["page"].number == 2 and 'rel="next"' not in response.content.decode()
    assert en_client.get(reverse("casework:queue"), {"page": 3}).context["page"].number == 2


@pytest.mark.django_db
def test_an_invalid_filter_shows_a_summary_and_keeps_the_input(en_client, make_case):
    make_case()
    page = en_client.get(reverse("casework:queue"), {"score_min": "abc", "q": "<b>x"}).content.decode()
    assert "<title>Error: " in page and 'href="#id_score_min"' in page
    assert 'id="id_score_min-error"' in page and 'aria-describedby="id_score_min-error"' in page
    assert 'value="abc"' in page and 'value="&lt;b&gt;x"' in page and "<b>x" not in page


@pytest.mark.django_db
def test_the_orm_fallback_for_other_databases_pages_the_same_cases(en_client, make_case, settings, monkeypatch):
    """`make run` uses SQLite: no EXPLAIN, no multi-statement execute; the ORM path must agree."""
    from django.db import connection

    settings.CASEWORK_PAGE_SIZE = 2
    for i in range(5):
        make_case(priority=1, submitted_at=timezone.now() - timedelta(days=10 - i))

    def pages():
        out, counts = [], []
        for number in (1, 2, 3):
            response = en_client.get(reverse("casework:queue"), {"page": number, "sort": "oldest"})
            page = response.context["page"]
            out.append(([c.reference for c in page.object_list], page.number))
            counts.append(page.paginator.count)
        return out, counts

    postgres, _ = pages()
    monkeypatch.setattr(connection, "vendor", "sqlite")
    fallback, counts = pages()
    assert fallback == postgres
    assert counts == [5, 5, 5]  # a capped COUNT where PostgreSQL would estimate; exact on the last page


@pytest.mark.django_db
def test_the_score_filter_reads_the_indexed_score_of_the_narrow_score_table(make_case):
    """Scores live in ApplicationScore (rescoring rewrites only those narrow rows); the queue's
    score range still reads an indexed column: with a selective range PostgreSQL walks it."""
    require_postgres()  # reads PostgreSQL's plan
    from django.db import connection

    from applications.casework.filters import QueueFilter
    from applications.models import Application
    from applications.states import WORKLIST_STATES

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
    assert "appscore_score_desc_idx" in plan, plan


@pytest.mark.django_db
def test_the_highest_score_sort_lists_unscored_cases_and_walks_the_score_index(make_case):
    """The sort joins the score row every submitted case has (an inner join, so PostgreSQL can
    read the score index in its order and stop after a page); unscored cases come last, not lost."""
    require_postgres()  # reads PostgreSQL's plan
    from django.db import connection

    from applications.casework.filters import QueueFilter
    from applications.models import Application
    from applications.states import WORKLIST_STATES

    scored = [make_case(score=score) for score in (10, 90, 50)]
    unscored = make_case(score=None)
    base = Application.objects.filter(state__in=WORKLIST_STATES)
    qs = QueueFilter({"sort": "score"}, queryset=base).qs
    assert [a.pk for a in qs] == [scored[1].pk, scored[2].pk, scored[0].pk, unscored.pk]
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off")
        plan = qs.all()[:50].explain()
    assert "Index Scan using appscore_score_desc_idx" in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("older_than=1000000", "older_than"),
        ("score_min=99999999999999999999", "score_min"),
        ("older_than=-5", "older_than"),
    ],
)
def test_an_out_of_range_number_in_a_filter_is_a_400_with_its_message(en_client, make_case, query, field):
    make_case()
    response = en_client.get(f"{reverse('casework:queue')}?{query}")
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_queue_search_is_a_400_not_a_database_error(en_client, make_case):
    make_case()
    response = en_client.get(f"{reverse('casework:queue')}?q=%00")
    assert response.status_code == 400
    assert "q contains a character that cannot be used" in response.content.decode()
