"""Publishing a criteria set in the admin goes through an "are you sure" page with the impact
report's summary (issue 16); choosing the action, or posting it directly, publishes nothing."""

import pytest
from django.urls import reverse

from eligibility import hooks
from eligibility.models import CriteriaSet
from portal.confirmation import FIELD
from tests.confirmation import confirmation_token_in
from tests.eligibility.db_helpers import seed_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Pages in English (the default language is Kazakh)."""
    client.cookies["portal_language"] = "en"
    return client


CHANGELIST = "admin:eligibility_criteriaset_changelist"


def _publish(client, *sets, **extra):
    data = {"action": "publish_selected", "_selected_action": [cs.pk for cs in sets], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_choosing_publish_shows_the_impact_summary_and_publishes_nothing(
    admin_client, criteria_admin, django_capture_on_commit_callbacks
):
    v1 = seed_set("kandas_card")
    v2 = seed_set("kandas_card", publish=False)
    with django_capture_on_commit_callbacks(execute=True):  # the impact task runs after commit
        report = hooks.provider("impact_request")(criteria_set=v2, actor=criteria_admin)
    report.refresh_from_db()
    assert report.status == "done"
    page = _publish(admin_client, v2)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Are you sure you want to publish these criteria sets?" in html
    assert f"Pool: {report.result['pool']} applications." in html
    assert reverse("admin:eligibility_impactreport_change", args=[report.pk]) in html
    assert (CriteriaSet.objects.get(pk=v1.pk).status, CriteriaSet.objects.get(pk=v2.pk).status) == (
        "published",
        "draft",
    )
    _publish(admin_client, v2, **{FIELD: confirmation_token_in(page)})
    assert (CriteriaSet.objects.get(pk=v1.pk).status, CriteriaSet.objects.get(pk=v2.pk).status) == (
        "retired",
        "published",
    )


def test_without_an_impact_report_the_page_says_so(admin_client):
    seed_set("kandas_card")
    v2 = seed_set("kandas_card", publish=False)
    html = _publish(admin_client, v2).content.decode()
    assert "No impact preview was run for this set." in html


def test_a_token_for_another_selection_publishes_nothing(admin_client):
    seed_set("kandas_card")
    v2 = seed_set("kandas_card", publish=False)
    v3 = seed_set("skills_visa", publish=False)
    token = confirmation_token_in(_publish(admin_client, v3))
    for forged in (token, "forged"):
        assert _publish(admin_client, v2, **{FIELD: forged}).status_code == 200
    assert CriteriaSet.objects.get(pk=v2.pk).status == "draft"


def test_a_set_with_problems_offers_no_publish_button(admin_client):
    published = seed_set("kandas_card")
    html = _publish(admin_client, published).content.decode()
    assert "Only a draft can be published." in html
    assert FIELD not in html
