"""Quotas for a sector and a region together (issue 17): a case takes a place in its sector's,
its region's and its sector-in-region's quota, all or none; the uptake a quota proposal reads."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from applications.casework.quotas import QuotaFull, quota_consume, quota_overview, quota_uptake, quotas_for
from applications.casework.services import decision_confirm
from applications.states import State
from eligibility import hooks
from eligibility.models import Quota
from tests.applications.casework.conftest import build_case, recommend

pytestmark = pytest.mark.django_db
YEAR = timezone.now().year


def _three(combined_places=5):
    return (
        Quota.objects.create(product="skills_visa", year=YEAR, sector="healthcare", places=10),
        Quota.objects.create(product="skills_visa", year=YEAR, region_id="KZ-63", places=10),
        Quota.objects.create(
            product="skills_visa", year=YEAR, sector="healthcare", region_id="KZ-63", places=combined_places
        ),
    )


def _used(*quotas):
    return [Quota.objects.get(pk=q.pk).used for q in quotas]


def test_a_case_in_the_sector_and_region_takes_a_place_in_all_three(make_case):
    sector, region, combined = _three()
    other = Quota.objects.create(product="skills_visa", year=YEAR, sector="healthcare", region_id="KZ-59", places=5)
    app = make_case(product="skills_visa", sector="healthcare", region_id="KZ-63")
    assert set(quotas_for(app)) == {sector, region, combined}
    assert sorted(quota_consume(app)) == sorted([sector.pk, region.pk, combined.pk])
    assert _used(sector, region, combined, other) == [1, 1, 1, 0]


def test_a_case_elsewhere_does_not_take_the_combined_quota(make_case):
    sector, region, combined = _three()
    app = make_case(product="skills_visa", sector="healthcare", region_id="KZ-59")
    quota_consume(app)
    assert _used(sector, region, combined) == [1, 0, 0]


def test_when_the_combined_quota_is_full_the_approval_is_refused_and_nothing_is_taken(
    applicant, caseworker, senior, make_case
):
    sector, region, combined = _three(combined_places=0)
    app = make_case(product="skills_visa", sector="healthcare", region_id="KZ-63")
    with pytest.raises(QuotaFull):
        quota_consume(app)
    assert _used(sector, region, combined) == [0, 0, 0]
    # Through the senior's decision: no approval, the case waits for a place.
    case = build_case(applicant, state=State.RECOMMENDED, product="skills_visa", sector="healthcare", region_id="KZ-63")
    recommend(case, caseworker)
    decision_confirm(application=case, actor=senior)
    case.refresh_from_db()
    assert case.state == State.WAITLISTED
    assert _used(sector, region, combined) == [0, 0, 0]


def test_the_database_refuses_a_quota_without_scope_and_a_second_one_for_the_same_scope():
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.create(product="skills_visa", year=YEAR, places=3)
    Quota.objects.create(product="skills_visa", year=YEAR, sector="it", region_id="KZ-75", places=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.create(product="skills_visa", year=YEAR, sector="it", region_id="KZ-75", places=4)
    # Sector-only and region-only quotas of the same sector and region are different scopes.
    Quota.objects.create(product="skills_visa", year=YEAR, sector="it", places=3)
    Quota.objects.create(product="skills_visa", year=YEAR, region_id="KZ-75", places=3)


def test_the_quota_page_names_the_combined_scope_and_counts_its_waiting_cases(client, senior, applicant):
    _three()
    build_case(applicant, state=State.WAITLISTED, product="skills_visa", sector="healthcare", region_id="KZ-63")
    build_case(applicant, state=State.WAITLISTED, product="skills_visa", sector="healthcare", region_id="KZ-59")
    with translation.override("en"):
        waiting = {row["quota"].scope_display: row["waiting"] for row in quota_overview()}
    assert waiting["Healthcare"] == 2 and waiting["Healthcare in East Kazakhstan Region"] == 1
    assert waiting["East Kazakhstan Region"] == 1
    client.force_login(senior)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Healthcare in East Kazakhstan Region" in client.get(reverse("casework:quotas")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("casework:quotas")).content.decode()
    assert "Healthcare in" not in page


def test_uptake_counts_this_years_approvals_and_todays_waiting_list(applicant):
    now = timezone.now()
    for state in (State.APPROVED, State.ISSUED):
        build_case(applicant, state=state, product="skills_visa", sector="it", region_id="KZ-75", decided_at=now)
    build_case(
        applicant,
        state=State.APPROVED,
        product="skills_visa",
        sector="it",
        region_id="KZ-75",
        decided_at=now.replace(year=now.year - 1),
    )
    build_case(applicant, state=State.REFUSED, product="skills_visa", sector="it", region_id="KZ-75", decided_at=now)
    build_case(applicant, state=State.WAITLISTED, product="skills_visa", sector="it", region_id="KZ-75")
    build_case(applicant, state=State.WAITLISTED, product="skills_visa", sector="", region_id="KZ-75")
    build_case(applicant, state=State.WAITLISTED, product="kandas_card", sector="business", region_id="KZ-75")
    uptake = quota_uptake(product="skills_visa", year=now.year)
    assert uptake == {("it", "KZ-75"): {"approved": 2, "waiting": 1}}
    assert hooks.provider("quota_uptake") is quota_uptake
