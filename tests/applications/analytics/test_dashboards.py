"""The dashboards: every page for the roles allowed, filters, downloads, hostile input, no
English left in kk and ru, and a query count that does not grow with the cases."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.analytics.dashboards import DASHBOARDS
from applications.analytics.models import FlowCount
from eligibility.models import Quota
from tests.portal.test_translation_leaks import leaks

pytestmark = pytest.mark.django_db

SLUGS = [d.slug for d in DASHBOARDS]


@pytest.fixture
def figures(drive):
    drive(region_id="KZ-55", sector="it", issue=True)
    drive(region_id="KZ-59", sector="healthcare", outcome="refuse")
    drive(region_id="KZ-59", sector="healthcare", late=True)
    drive(outcome="withdraw")
    Quota.objects.create(product="kandas_card", year=2026, sector="it", places=10, used=1)


@pytest.fixture
def analyst_client(client, analyst, settings):
    client.force_login(analyst)
    return client


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"  # CSV headers compared in English


@pytest.mark.parametrize("slug", SLUGS)
def test_each_dashboard_shows_charts_with_summary_table_and_downloads(analyst_client, figures, slug):
    response = analyst_client.get(reverse(f"analytics:{slug}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert 'class="chart__summary"' in html and "<caption" in html
    assert "download=" in html and ".csv" in html and ".svg" in html


def test_the_flow_figures_are_the_counted_ones(analyst_client, figures, english):
    csv = analyst_client.get(reverse("analytics:flows"), {"download": "flows.csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"] == 'attachment; filename="flows.csv"'
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Month,Submitted,Approved,Refused,Cards issued,Withdrawn"
    assert lines[-1].endswith(",4,2,1,1,1")  # this month: four submitted, two approved...


def test_filters_narrow_the_figures(analyst_client, figures, english):
    def approved(**query) -> str:
        csv = analyst_client.get(reverse("analytics:funnel"), {**query, "download": "funnel.csv"}).content
        return csv.decode("utf-8-sig")

    assert "Submitted,4" in approved()
    assert "Submitted,2" in approved(region="KZ-59")
    assert "Submitted,2" in approved(sector="it")  # one approved, one withdrawn
    assert "Submitted,4" in approved(citizenship="CN", occupation="2221", product="kandas_card")
    assert "Submitted,0" in approved(product="skills_visa")
    assert "Submitted,0" in approved(month_from="2020-01", month_to="2020-12")


def test_the_svg_download_is_a_standalone_image_without_scripts(analyst_client, figures):
    response = analyst_client.get(reverse("analytics:settlement"), {"download": "settlement.svg"})
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    body = response.content.decode()
    assert body.startswith("<?xml") and "<script" not in body and "<title" in body


@pytest.mark.parametrize(
    "query",
    [
        {"month_from": "2026-13"},
        {"month_from": "2026-05", "month_to": "2026-01"},
        {"occupation": "9999"},
        "region=%ED%A0%80",
        "occupation=%C0%AF",
        {"month_to": "99999999999999999999-01"},
        {"citizenship": "XX"},
        {"product": "<script>"},
    ],
)
def test_hostile_or_wrong_filters_get_a_form_error_not_a_crash(analyst_client, query):
    url = reverse("analytics:flows")
    response = analyst_client.get(f"{url}?{query}") if isinstance(query, str) else analyst_client.get(url, query)
    assert response.status_code == 400
    if "\x00" not in str(query):  # a NUL byte is refused before the form (portal/inputs.py): 400 too
        assert "error-summary" in response.content.decode()


def test_a_nul_in_a_filter_is_refused_before_the_dashboard_runs(analyst_client):
    # portal.inputs.HostileRequestMiddleware answers every query string holding a NUL.
    response = analyst_client.get(reverse("analytics:flows"), {"occupation": "22\x0021"})
    assert response.status_code == 400
    assert "analytics-filters-form" not in response.content.decode() and "<svg" not in response.content.decode()


def test_an_unknown_download_is_404(analyst_client):
    assert analyst_client.get(reverse("analytics:flows"), {"download": "nothing.csv"}).status_code == 404
    assert analyst_client.get(reverse("analytics:flows"), {"download": "flows.exe"}).status_code == 404


def test_a_formula_in_a_label_is_not_run_by_a_spreadsheet():
    from portal.charts import Chart, Series, chart_csv

    chart = Chart(key="k", title="t", summary="s", categories=["=HYPERLINK(1)"], series=[Series("n", [1])])
    assert "'=HYPERLINK(1)" in chart_csv(chart)


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("slug", ["overview", *SLUGS])
def test_no_english_left_on_the_dashboards(analyst_client, figures, settings, language, slug):
    from applications.models import Queue

    typed = set(Queue.objects.values_list("name", flat=True))
    found = [t for t in leaks(analyst_client, reverse(f"analytics:{slug}"), language, settings) if t not in typed]
    assert found == []


def test_pages_with_errors_are_translated_too(analyst_client, settings):
    assert leaks(analyst_client, reverse("analytics:flows") + "?month_from=2026-13", "kk", settings) == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_chart_labels_and_numbers_follow_the_language(analyst_client, figures, settings, language):
    settings.LANGUAGE_CODE = language
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = analyst_client.get(reverse("analytics:flows")).content.decode()
    title = {"kk": "Айына өтініштер", "ru": "Заявления по месяцам", "en": "Applications per month"}[language]
    assert title in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("slug", SLUGS)
def test_query_count_does_not_grow_with_the_cases(analyst_client, drive, slug):
    drive()
    url = reverse(f"analytics:{slug}")
    before = _queries(analyst_client, url)
    for region, sector in [("KZ-59", "healthcare"), ("KZ-55", "it"), ("KZ-11", "education")]:
        drive(region_id=region, sector=sector)
        drive(region_id=region, sector=sector, outcome="refuse")
    assert _queries(analyst_client, url) == before


def test_the_dashboards_never_read_the_cases(analyst_client, figures):
    """Every figure comes from the aggregate tables: no query touches the applications table."""
    for slug in SLUGS:
        with CaptureQueriesContext(connection) as ctx:
            analyst_client.get(reverse(f"analytics:{slug}"))
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert not re.search(r'FROM "applications_application"', sql), slug


def test_the_analyst_sees_no_case_and_no_person(client, analyst, figures):
    client.force_login(analyst)
    for slug in SLUGS:
        html = client.get(reverse(f"analytics:{slug}")).content.decode()
        assert "Applicant " not in html and "KC-2026-" not in html and "Aigerim" not in html
    assert FlowCount.objects.exists()
