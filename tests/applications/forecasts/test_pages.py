"""The forecast list and the scenario page: who opens them, what they show, hostile input,
and a number of queries that does not grow with the data."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.forecasts.series import current_week
from applications.forecasts.services import forecasts_refit
from eligibility.models import Quota
from tests.applications.forecasts.helpers import weekly_history
from tests.eligibility.db_helpers import seed_set

pytestmark = pytest.mark.django_db

URLS = [reverse("forecasts:list"), reverse("forecasts:scenario")]
READERS = {"criteria_admin", "auditor"}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "person", ["applicant", "stranger", "caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor"]
)
def test_only_criteria_admins_auditors_and_analysts_open_the_pages(client, people, url, person):
    client.force_login(people[person])
    assert client.get(url).status_code == (200 if person in READERS else 404)


@pytest.mark.parametrize("url", URLS)
def test_an_analyst_opens_the_pages_and_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    from portal.models import User

    analyst = User.objects.create_user(email="analyst@example.kz", password="correct-horse-battery-9")
    analyst.groups.add(Group.objects.get(name="analyst"))
    assert client.get(url).status_code == 302
    client.force_login(analyst)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_an_employer_gets_404(client, employer, url):
    client.force_login(employer)
    assert client.get(url).status_code == 404


def test_the_list_says_not_enough_history_and_shows_series_with_their_error(client, auditor, applicant, settings):
    weekly_history(applicant, weeks=40, per_week=lambda i: 2 + i % 3)
    forecasts_refit()
    client.force_login(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("forecasts:list"), {"product": "skills_visa"}).content.decode()
    assert "Backtest error (MAPE)" in page
    assert "About " in page and "submissions are expected" in page
    assert page.count("<tr><td>") == 26
    other = client.get(reverse("forecasts:list"), {"product": "kandas_card"}).content.decode()
    assert "Not enough history to forecast" in other
    assert "Backtest error" not in other


def test_before_any_run_the_list_says_so(client, criteria_admin, settings):
    client.force_login(criteria_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "No forecast has been made yet" in client.get(reverse("forecasts:list")).content.decode()


def test_the_scenario_page_compares_cards_and_run_out_dates(client, criteria_admin, applicant, settings):
    seed_set("skills_visa")
    weekly_history(applicant, weeks=40)
    forecasts_refit()
    year = current_week().year
    Quota.objects.create(product="skills_visa", year=year, sector="it", places=20, used=15)
    client.force_login(criteria_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(
        reverse("forecasts:scenario"),
        {"product": "skills_visa", "year": year, "pass_mark": 10, "quota_change_percent": -50},
    ).content.decode()
    assert "Cards expected to be issued" in page
    assert "When each quota runs out" in page
    assert "There is a problem" not in page


@pytest.mark.parametrize(
    "query",
    [
        "product=skills_visa&year=2026&pass_mark=" + "9" * 40 + "&quota_change_percent=0",
        "product=skills_visa&year=2026&pass_mark=1&quota_change_percent=-101",
        "product=skills_visa%00&year=2026&quota_change_percent=0",
        "product=skills_visa&year=2026&quota=%ED%A0%80&quota_change_percent=0",
        "product=skills_visa&year=99999999999999999999&quota_change_percent=0",
        "product=skills_visa&year=2026&quota=999999&quota_change_percent=5",
        "product=skills_visa&year=2026&pass_mark=1e309&quota_change_percent=%00",
    ],
)
def test_hostile_or_wrong_input_is_a_form_error_or_a_400_never_a_500(client, criteria_admin, query):
    client.force_login(criteria_admin)
    response = client.get(reverse("forecasts:scenario") + "?" + query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "error-summary" in response.content.decode()


def test_hostile_filters_on_the_list_are_ignored_not_a_500(client, auditor):
    client.force_login(auditor)
    for query in ("region=%00", "product=" + "x" * 5000, "region=KZ-99", "region=%ED%A0%80"):
        assert client.get(reverse("forecasts:list") + "?" + query).status_code in (200, 400)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_query_a_fixed_number_of_times_as_data_grows(client, auditor, applicant):
    seed_set("skills_visa")
    year = current_week().year
    weekly_history(applicant, weeks=35, region="KZ-55")
    forecasts_refit()
    Quota.objects.create(product="skills_visa", year=year, sector="it", places=100)
    client.force_login(auditor)
    scenario = {"product": "skills_visa", "year": year, "quota_change_percent": 10}
    _queries(client, reverse("forecasts:scenario"), scenario)  # compiles and caches the evaluator
    small = (
        _queries(client, reverse("forecasts:list"), {"region": "*"}),
        _queries(client, reverse("forecasts:scenario"), scenario),
    )

    weekly_history(applicant, weeks=35, region="KZ-75", per_week=lambda i: 2)
    forecasts_refit()
    Quota.objects.create(product="skills_visa", year=year, sector="science", places=100)
    Quota.objects.create(product="skills_visa", year=year, region_id="KZ-75", places=100)
    large = (
        _queries(client, reverse("forecasts:list"), {"region": "*"}),
        _queries(client, reverse("forecasts:scenario"), scenario),
    )
    assert large == small
