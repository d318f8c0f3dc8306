"""Quotas: approval takes a place in every applicable quota or none; never more than the places."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.casework.quotas import QuotaFull, allocation_round_run, quota_consume
from applications.casework.services import decision_confirm
from applications.models import Application
from applications.states import State
from eligibility.models import AllocationRound, Quota
from tests import services
from tests.applications.casework.conftest import build_case, recommend

YEAR = timezone.now().year


@pytest.mark.django_db
def test_kandas_regional_quotas_for_2026_are_seeded_from_the_official_figures():
    pavlodar = Quota.objects.get(product="kandas_card", year=2026, region_id="KZ-55")
    assert pavlodar.places == 977
    assert Quota.objects.filter(product="kandas_card", year=2026, sector="").count() == 8


@pytest.mark.django_db
def test_a_case_takes_a_place_in_each_applicable_quota_or_in_none(make_case):
    sector = Quota.objects.create(product="kandas_card", year=YEAR, sector="it", places=5)
    region = Quota.objects.create(product="kandas_card", year=YEAR, region_id="KZ-19", places=0)
    app = make_case(region_id="KZ-19", sector="it")
    with pytest.raises(QuotaFull):
        quota_consume(app)
    sector.refresh_from_db()
    assert sector.used == 0  # the sector place was given back with the failed region place
    Quota.objects.filter(pk=region.pk).update(places=1)
    assert sorted(quota_consume(app)) == sorted([sector.pk, region.pk])
    sector.refresh_from_db()
    region.refresh_from_db()
    assert (sector.used, region.used) == (1, 1)


@pytest.mark.django_db
def test_a_full_quota_puts_the_case_on_the_ranked_waiting_list_and_a_round_releases_the_best(
    client, caseworker, senior, criteria_admin, applicant, settings
):
    Quota.objects.create(product="skills_visa", year=YEAR, sector="healthcare", places=0)
    scores = [55, 90, 70, 90]
    cases = []
    for score in scores:
        app = build_case(applicant, state=State.RECOMMENDED, product="skills_visa", sector="healthcare", score=score)
        recommend(app, caseworker)
        decision_confirm(application=app, actor=senior)
        app.refresh_from_db()
        assert app.state == State.WAITLISTED
        cases.append(app)
    client.force_login(senior)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("casework:quotas")).content.decode()
    assert "Healthcare" in page
    round_ = allocation_round_run(product="skills_visa", sector="healthcare", places=2, actor=criteria_admin)
    assert round_.cases_moved == 2 and round_.cut_off_score == 90
    states = {a.pk: a.state for a in Application.objects.filter(pk__in=[c.pk for c in cases])}
    # Both 90s (the earlier-submitted first) move; the 70 and 55 keep waiting.
    assert [states[c.pk] for c in cases] == [State.WAITLISTED, State.RECOMMENDED, State.WAITLISTED, State.RECOMMENDED]
    decision_confirm(application=cases[1], actor=senior)
    cases[1].refresh_from_db()
    assert cases[1].state == State.APPROVED
    assert Quota.objects.get(sector="healthcare").used == 1


@pytest.mark.django_db
def test_criteria_admin_runs_a_round_from_the_quota_page(client, criteria_admin):
    Quota.objects.create(product="skills_visa", year=YEAR, sector="it", places=3)
    client.force_login(criteria_admin)
    response = client.post(reverse("casework:quotas"), {"product": "skills_visa", "sector": "it", "places": 4})
    assert response.status_code == 302
    assert Quota.objects.get(sector="it").places == 7
    assert AllocationRound.objects.get().cases_moved == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_quota_never_exceeded_under_20_concurrent_approvals(applicant, threads_run_eager_tasks):
    services.require_postgres()
    from tests.conftest import _join_all_cases_queue, _user

    recommender = _join_all_cases_queue(_user("rec@example.kz", "caseworker", staff=True))
    seniors = [
        _join_all_cases_queue(_user(f"sen{i}@example.kz", "senior_caseworker", staff=True), senior=True)
        for i in range(20)
    ]
    quota = Quota.objects.create(product="skills_visa", year=YEAR, sector="it", places=7)
    cases = []
    for _ in range(20):
        app = build_case(applicant, state=State.RECOMMENDED, product="skills_visa", sector="it", region_id="KZ-19")
        recommend(app, recommender)
        cases.append(app)
    barrier = threading.Barrier(20)
    errors = []

    def approve(app, senior):
        try:
            barrier.wait()
            decision_confirm(application=app.pk, actor=senior)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(cases, seniors, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    quota.refresh_from_db()
    states = list(Application.objects.filter(pk__in=[c.pk for c in cases]).values_list("state", flat=True))
    assert quota.used == 7
    # Each approval issues its card once it commits (tasks run eagerly here).
    assert states.count(State.APPROVED) + states.count(State.ISSUED) == 7
    assert states.count(State.WAITLISTED) == 13


@pytest.mark.parametrize(
    ("language", "state_label", "email_phrase"),
    [("uz", "Kvotadagi o‘rinni kutmoqda", "kutish ro‘yxatida"), ("zh-hans", "等待配额名额", "候补名单")],
)
def test_waitlist_strings_reach_applicants_in_uzbek_and_chinese(language, state_label, email_phrase):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        assert str(State.WAITLISTED.label) == state_label
        subject = render_to_string("emails/application_waitlisted.subject.txt", {"application": {"reference": "X-1"}})
        body = render_to_string("emails/application_waitlisted.txt", {"user": None})
    assert "X-1" in subject and "Your application" not in subject
    assert email_phrase in body and "quota" not in body
