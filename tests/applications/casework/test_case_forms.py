"""Staff forms: GOV.UK errors (summary linking to the field, inline message, input kept) on the
case page's request-for-information and four-eyes forms, and the allocation round's region select."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.casework.services import case_claim
from applications.models import Decision, LegalGround, RequestForInformation
from applications.states import State
from eligibility.models import AllocationRound, Quota
from tests.applications.casework.conftest import build_case, recommend

YEAR = timezone.now().year


def _post(client, app, action, data):
    return client.post(reverse("casework:case_action", args=[app.pk, action]), data)


@pytest.mark.django_db
def test_an_invalid_request_for_information_shows_a_summary_inline_errors_and_keeps_the_input(
    client, make_case, caseworker
):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    client.force_login(caseworker)
    response = _post(client, app, "request_info", {"text": "Send the diploma, please", "days": "200"})
    assert response.status_code == 200  # the case page again, not a redirect with a flash message
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#rfi_days"' in page  # the summary links to the field ...
    assert 'id="rfi_days-error"' in page  # ... which carries its own message
    assert 'value="200"' in page and "Send the diploma, please</textarea>" in page
    assert '<details class="details" open>' in page
    assert not RequestForInformation.objects.filter(application=app).exists()
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW

    response = _post(client, app, "request_info", {"text": "", "days": "7"})
    page = response.content.decode()
    assert 'href="#rfi_text"' in page and 'id="rfi_text-error"' in page


@pytest.mark.django_db
def test_an_invalid_recommendation_links_to_the_first_checkbox_and_keeps_the_reasons(client, make_case, caseworker):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _post(client, app, "recommend", {"recommendation": "approve", "text": "Meets every criterion"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error: " in page
    assert 'href="#recommend_grounds_0"' in page and 'id="recommend_grounds_0"' in page
    assert "Meets every criterion</textarea>" in page
    # Grounds that do not fit the recommendation: an error on the grounds field, not a message.
    refuse_ground = LegalGround.objects.filter(applies_to="refuse").first()
    response = _post(
        client, app, "recommend", {"recommendation": "approve", "grounds": [refuse_ground.pk], "text": "Ok"}
    )
    page = response.content.decode()
    assert "Choose grounds that fit the recommendation." in page and 'href="#recommend_grounds_0"' in page
    assert not Decision.objects.filter(application=app).exists()


@pytest.mark.django_db
def test_invalid_send_back_and_confirm_come_back_with_errors_and_change_nothing(client, applicant, caseworker, senior):
    app = build_case(applicant, state=State.RECOMMENDED)
    recommend(app, caseworker)
    client.force_login(senior)
    response = _post(client, app, "send_back", {"reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#send_back_reason"' in page and 'id="send_back_reason-error"' in page
    response = _post(client, app, "confirm", {"note": "x" * 5001})
    page = response.content.decode()
    assert 'href="#confirm_note"' in page and 'id="confirm_note-error"' in page
    assert "x" * 5001 + "</textarea>" in page
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED
    # A valid send-back still redirects back to the case.
    assert _post(client, app, "send_back", {"reason": "Check the diploma"}).status_code == 302
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW


@pytest.mark.django_db
def test_a_valid_recommendation_still_redirects(client, make_case, caseworker):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    client.force_login(caseworker)
    ground = LegalGround.objects.filter(applies_to="approve").first()
    response = _post(client, app, "recommend", {"recommendation": "approve", "grounds": [ground.pk], "text": "Ok"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.RECOMMENDED


@pytest.mark.django_db
def test_the_allocation_round_offers_regions_by_name_in_the_users_language(client, criteria_admin):
    client.force_login(criteria_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("casework:quotas")).content.decode()
    assert '<select name="region"' in page
    assert '<option value="KZ-55">Павлодарская область (KZ-55)</option>' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    page = client.get(reverse("casework:quotas")).content.decode()
    assert '<option value="KZ-55">Павлодар облысы (KZ-55)</option>' in page


@pytest.mark.django_db
def test_the_allocation_round_runs_on_a_chosen_region(client, criteria_admin):
    quota, _ = Quota.objects.get_or_create(
        product="kandas_card", year=YEAR, sector="", region_id="KZ-55", defaults={"places": 10}
    )
    places = quota.places
    client.force_login(criteria_admin)
    response = client.post(reverse("casework:quotas"), {"product": "kandas_card", "region": "KZ-55", "places": 5})
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.places == places + 5
    assert AllocationRound.objects.get().region_id == "KZ-55"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"product": "kandas_card", "region": "XX-99", "places": 5}, "region", "Choose a region from the list."),
        (
            {"product": "skills_visa", "sector": "it", "region": "KZ-55", "places": 5},
            "sector",
            "There is no such quota for this year.",
        ),
        ({"product": "skills_visa", "places": 5}, "sector", "Choose a sector, a region or both."),
        ({"product": "skills_visa", "region": "KZ-19", "places": 5}, "region", "There is no such quota for this year."),
    ],
)
def test_an_invalid_allocation_round_shows_gov_uk_errors(client, criteria_admin, data, field, message):
    client.force_login(criteria_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("casework:quotas"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and f'href="#id_{field}"' in page and f'id="id_{field}-error"' in page
    assert message in page
    assert not AllocationRound.objects.exists()
