"""The public statistics and quota pages, the CSV and the API: what anyone may read, that
nobody may write, that no small figure shows anywhere, names in words, hostile queries."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from applications.statistics.services import release_compute
from eligibility.models.quotas import AllocationRound, Quota
from tests.applications.statistics.conftest import add_cases

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "caseworker", "senior", "criteria_admin", "auditor", "employer"]


@pytest.fixture
def release(month_of_cases):
    return release_compute(period=month_of_cases)


@pytest.fixture
def quotas(criteria_admin):
    Quota.objects.create(product="kandas_card", year=2031, sector="it", places=100, used=4)
    Quota.objects.create(product="kandas_card", year=2031, region_id="KZ-55", places=50, used=20)
    AllocationRound.objects.create(
        product="kandas_card",
        year=2031,
        sector="it",
        places_released=5,
        cases_moved=5,
        cut_off_score=71,
        created_by=criteria_admin,
    )
    AllocationRound.objects.create(
        product="kandas_card",
        year=2031,
        region_id="KZ-55",
        places_released=30,
        cases_moved=30,
        cut_off_score=64,
        created_by=criteria_admin,
    )


def _client_for(role, request):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def _cell_texts(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<td class="numeric">(.*?)</td>', html, re.S)]


def _small(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return digits != "" and 0 < int(digits) < 10


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_pages_and_the_api(role, request, release, quotas):
    client = _client_for(role, request)
    for name in ("statistics:statistics", "statistics:csv", "statistics:quotas"):
        assert client.get(reverse(name)).status_code == 200, name
    for url in ("/api/v1/public/statistics/", "/api/v1/public/statistics/2026-10/", "/api/v1/public/quotas/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_nobody_writes(role, request, release):
    client = _client_for(role, request)
    for name in ("statistics:statistics", "statistics:csv", "statistics:quotas"):
        assert client.post(reverse(name)).status_code == 405
    api = APIClient()
    if role != "anonymous":
        api.force_authenticate(request.getfixturevalue(role))
    for url in ("/api/v1/public/statistics/", "/api/v1/public/statistics/2026-10/", "/api/v1/public/quotas/"):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(api, method)(url, {}, format="json").status_code in (403, 405), (method, url)
    assert release.cells.count() > 0 and release.revision == 1


@pytest.mark.parametrize("measure", ["submitted", "approved", "refused", "issued"])
@pytest.mark.parametrize("dimension", ["region", "citizenship", "sector"])
def test_no_figure_from_1_to_9_on_the_page(client, release, measure, dimension):
    response = client.get(
        reverse("statistics:statistics"), {"period": "2026-10", "measure": measure, "dimension": dimension}
    )
    assert response.status_code == 200
    cells = _cell_texts(response.content.decode())
    assert cells and not [c for c in cells if _small(c)]


def test_no_figure_from_1_to_9_in_the_csv_and_suppressed_ones_are_flagged(client, release):
    response = client.get(reverse("statistics:csv"), {"period": "2026-10"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == release.cells.count()
    assert not [r for r in rows if r["value"] and 0 < int(r["value"]) < 10]
    assert all((r["value"] == "") == (r["flag"] == "x") for r in rows)
    assert any(r["flag"] == "x" for r in rows)


def test_no_figure_from_1_to_9_in_the_api(release):
    body = APIClient().get("/api/v1/public/statistics/2026-10/").json()
    values = [cell["value"] for cell in body["cells"]]
    assert len(values) == release.cells.count()
    assert not [v for v in values if v is not None and 0 < v < 10]
    assert all((cell["value"] is None) == cell["suppressed"] for cell in body["cells"])


def test_the_api_filters_cells(release):
    body = (
        APIClient()
        .get(
            "/api/v1/public/statistics/2026-10/?measure=submitted&dimension=region&product=all",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .json()
    )
    assert {(c["measure"], c["dimension"], c["product"]) for c in body["cells"]} == {("submitted", "region", "")}
    labels = {c["category"]: c["category_label"] for c in body["cells"]}
    assert labels["KZ-71"] == "Astana city" and labels[""] == "Total"


def test_quota_page_hides_small_used_counts_and_small_rounds_cut_offs(client, quotas):
    html = client.get(reverse("statistics:quotas"), {"year": "2031"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cells = _cell_texts(html)
    assert "[c]" in html
    assert "96" not in cells and "4" not in cells and "71" not in cells
    assert "64" in cells and "20" in cells and "30" in cells
    body = APIClient().get("/api/v1/public/quotas/?year=2031").json()
    assert sorted((q["used"], q["remaining"]) for q in body["quotas"] if q["used"] is not None) == [(20, 30)]
    assert [(q["used"], q["remaining"]) for q in body["quotas"] if q["used"] is None] == [(None, None)]
    assert sorted(str(r["cut_off_score"]) for r in body["rounds"]) == ["64", "None"]


@pytest.mark.parametrize(
    ("language", "region", "country"),
    [
        ("en", "Astana city", "Mongolia"),
        ("kk", "Астана", "Моңғолия"),
        ("ru", "Астана", "Монголия"),
        ("uz", "Astana shahri", "Mongoliya"),
        ("zh-hans", "阿斯塔纳市", "蒙古"),
    ],
)
def test_names_are_in_the_page_language_never_codes(client, release, language, region, country, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("statistics:statistics"), {"period": "2026-10"}).content.decode()
    assert region in html and "KZ-71" not in html
    html = client.get(
        reverse("statistics:statistics"), {"period": "2026-10", "dimension": "citizenship"}
    ).content.decode()
    assert country in html and ">MN<" not in html


@pytest.mark.parametrize(
    "query",
    [
        "period=2026-13",
        "period=%00",
        "measure=bogus",
        "dimension=%ED%A0%80",
        "measure=" + "x" * 5000,
        "dimension[]=region",
    ],
)
def test_a_hostile_filter_on_the_page_is_a_400(client, release, query):
    response = client.get(reverse("statistics:statistics") + "?" + query)
    assert response.status_code in (200, 400)
    if "[]" not in query:
        assert response.status_code == 400
    assert client.get(reverse("statistics:csv") + "?" + query).status_code == response.status_code


@pytest.mark.parametrize("query", ["year=99999999999999999999", "year=-1", "year=1e30", "year=%00", "year=%ED%A0%80"])
def test_a_hostile_year_is_a_400(client, quotas, query):
    assert client.get(reverse("statistics:quotas") + "?" + query).status_code == 400
    response = APIClient().get("/api/v1/public/quotas/?" + query)
    assert response.status_code == 400 and set(response.json()) == {"error"}


@pytest.mark.parametrize("query", ["measure=bogus", "dimension=%00", "product=%ED%A0%80", "product=" + "9" * 400])
def test_a_hostile_api_filter_is_a_400_in_the_api_shape(release, query):
    response = APIClient().get("/api/v1/public/statistics/2026-10/?" + query)
    assert response.status_code == 400 and set(response.json()) == {"error"}


@pytest.mark.parametrize("period", ["2026-13", "1999-01", "0000-00"])
def test_an_unknown_month_is_a_404(release, period):
    response = APIClient().get(f"/api/v1/public/statistics/{period}/")
    assert response.status_code == 404 and set(response.json()) == {"error"}


def test_query_counts_stay_the_same_as_the_data_grows(client, applicant, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure() -> list[int]:
        release_compute(period=__import__("datetime").date(2026, 10, 1))
        out = []
        for url in (
            reverse("statistics:statistics") + "?dimension=citizenship",
            reverse("statistics:csv"),
            reverse("statistics:quotas"),
            "/api/v1/public/statistics/2026-10/",
            "/api/v1/public/quotas/",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    add_cases(applicant, 12)
    small = measure()
    for country in ("UZ", "MN", "TR", "RU", "DE", "US"):
        add_cases(applicant, 15, citizenship=country, region="KZ-71", sector="science")
    add_cases(applicant, 40, product="skills_visa")
    assert measure() == small
