"""Job offers and employment (issue 19): the request at submission, the employer's answer,
the reports after the card is issued, and the grace period. Transitions for every role."""

from datetime import date, timedelta

import pytest

from applications.employers import services
from applications.employers.models import Employer, Employment, JobOffer
from applications.employers.selectors import grace_overdue, offer_outcomes, regions_of_work
from applications.employers.transitions import (
    EMPLOYMENT_TRANSITIONS,
    OFFER_TRANSITIONS,
    EmployerTransitionRefused,
    offer_actions,
)
from applications.facts import application_facts, facts_of_many
from applications.models import Application, Notification
from eligibility.models import Region
from portal.audit.models import AuditEvent
from tests.applications.employers.conftest import VISA_ANSWERS, approve_and_issue

pytestmark = pytest.mark.django_db

ROLES = ("applicant", "stranger", "caseworker", "caseworker_outside", "senior", "criteria_admin", "auditor")


def _confirm(offer, actor, **over):
    details = {
        "position": "Data engineer",
        "isco_code": "2521",
        "monthly_salary_kzt": 1_200_000,
        "regions": Region.objects.filter(pk__in=["KZ-55", "KZ-75"]),
        "start_date": date(2027, 1, 10),
    }
    details.update(over)
    return services.offer_confirm(offer=offer, actor=actor, **details)


def test_submission_asks_the_verified_employer_with_the_applicants_details(visa_submitted, employer):
    offer = visa_submitted.job_offers.get()
    assert offer.state == JobOffer.State.REQUESTED and offer.employer.contact == employer
    assert (offer.isco_code, offer.monthly_salary_kzt) == ("2512", 900_000)
    # Only the employer's own regions of work (its sites) are kept from the applicant's choice.
    assert list(offer.regions.values_list("pk", flat=True)) == ["KZ-55"]
    kinds = set(Notification.objects.filter(recipient=employer).values_list("kind", flat=True))
    assert kinds == {"offer_requested"}
    assert AuditEvent.objects.filter(action="joboffer.request", object_id=str(offer.pk)).exists()


def test_an_unverified_or_unknown_bin_asks_no_one(applicant, employer):
    Employer.objects.filter(contact=employer).update(status=Employer.Status.PENDING)
    from applications.workflow import application_transition

    application = Application.objects.create(product="skills_visa", owner=applicant, answers=VISA_ANSWERS)
    application_transition(application=application, action="submit", actor=applicant)
    assert not JobOffer.objects.exists()
    assert application_facts(application)["offer_confirmed_by_employer"] is False


def test_the_employer_confirms_correcting_the_details(offer, employer, applicant):
    _confirm(offer, employer)
    offer.refresh_from_db()
    assert offer.state == JobOffer.State.CONFIRMED and offer.position == "Data engineer"
    assert offer.isco_code == "2521" and sorted(offer.regions.values_list("pk", flat=True)) == ["KZ-55", "KZ-75"]
    assert Notification.objects.filter(recipient=applicant, kind="offer_decided").exists()
    event = AuditEvent.objects.get(action="joboffer.confirm")
    assert (event.from_state, event.to_state, event.actor_id) == ("requested", "confirmed", employer.pk)


def test_a_second_answer_is_refused(offer, employer):
    services.offer_decline(offer=offer, actor=employer, reason="We never offered this job")
    with pytest.raises(EmployerTransitionRefused):
        _confirm(offer, employer)
    offer.refresh_from_db()
    assert offer.state == JobOffer.State.DECLINED and offer.decline_reason == "We never offered this job"


def test_declining_needs_a_reason(offer, employer):
    with pytest.raises(EmployerTransitionRefused):
        services.offer_decline(offer=offer, actor=employer, reason="  ")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_named_employer_answers_an_offer(offer, people, role):
    actor = people[role]
    assert offer_actions(offer, actor) == []
    with pytest.raises(EmployerTransitionRefused):
        _confirm(offer, actor)
    with pytest.raises(EmployerTransitionRefused):
        services.offer_decline(offer=offer, actor=actor, reason="no")
    offer.refresh_from_db()
    assert offer.state == JobOffer.State.REQUESTED


def test_another_employer_cannot_answer(offer, db):
    from portal import roles
    from tests.conftest import _user

    other = _user("hr@other.example.kz", roles.EMPLOYER)
    Employer.objects.create(legal_name="Other", bin="000000000000", contact=other, status=Employer.Status.VERIFIED)
    with pytest.raises(EmployerTransitionRefused):
        _confirm(offer, other)


def test_the_offer_table_answers_only_from_requested():
    assert {(s, a) for s, a in OFFER_TRANSITIONS} == {
        ("", "request"),
        ("requested", "confirm"),
        ("requested", "decline"),
    }
    for state in JobOffer.State:
        actions = {a for s, a in OFFER_TRANSITIONS if s == state}
        assert actions == ({"confirm", "decline"} if state == JobOffer.State.REQUESTED else set())
    for state in Employment.State:
        actions = {a for s, a in EMPLOYMENT_TRANSITIONS if s == state}
        assert actions == ({"change", "end"} if state == Employment.State.ACTIVE else set())


def test_the_fact_follows_the_employers_answer(offer, employer, visa_submitted):
    # Waiting for the employer: the fact is missing (the engine says "needs more information").
    assert "offer_confirmed_by_employer" not in application_facts(visa_submitted)
    _confirm(offer, employer)
    assert application_facts(visa_submitted)["offer_confirmed_by_employer"] is True
    assert facts_of_many([visa_submitted])[0]["offer_confirmed_by_employer"] is True
    assert offer_outcomes([visa_submitted.pk]) == {visa_submitted.pk: True}


def test_the_fact_is_false_after_a_decline(offer, employer, visa_submitted):
    services.offer_decline(offer=offer, actor=employer, reason="No such job")
    assert application_facts(visa_submitted)["offer_confirmed_by_employer"] is False


def test_work_is_reported_only_after_the_card(offer, employer):
    _confirm(offer, employer)
    with pytest.raises(EmployerTransitionRefused):
        services.employment_start(offer=offer, actor=employer, started_on=date(2027, 1, 10))


@pytest.fixture
def employed(offer, employer, caseworker, senior, card_key):
    _confirm(offer, employer)
    card = approve_and_issue(offer.application, caseworker, senior)
    return services.employment_start(offer=offer, actor=employer, started_on=date(2027, 1, 10)), card


def test_start_change_and_end_with_the_grace_period(employed, employer, applicant, caseworker, settings):
    settings.EMPLOYMENT_GRACE_DAYS = 30
    employment, card = employed
    assert employment.state == Employment.State.ACTIVE
    assert sorted(r.pk for r in regions_of_work(card.application)) == ["KZ-55", "KZ-75"]
    services.employment_change(
        employment=employment,
        actor=employer,
        position="Lead data engineer",
        monthly_salary_kzt=1_500_000,
        regions=Region.objects.filter(pk="KZ-75"),
    )
    assert [r.pk for r in regions_of_work(card.application)] == ["KZ-75"]
    services.employment_end(employment=employment, actor=employer, ended_on=date(2027, 6, 30), reason="Contract ended")
    employment.refresh_from_db()
    assert employment.state == Employment.State.ENDED and employment.grace_until == date(2027, 7, 30)
    kinds = list(Notification.objects.filter(recipient=applicant, channel="in_app").values_list("kind", flat=True))
    assert kinds.count("employment_reported") == 2 and "employment_ended" in kinds
    # The caseworker who handled the case is told too.
    assert Notification.objects.filter(recipient=caseworker, kind="employment_ended").exists()
    actions = list(AuditEvent.objects.filter(object_type="employers.employment").values_list("action", flat=True))
    assert sorted(actions) == ["employment.change", "employment.end", "employment.start"]
    with pytest.raises(EmployerTransitionRefused):
        services.employment_change(
            employment=employment, actor=employer, position="x", monthly_salary_kzt=1, regions=[]
        )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_employer_reports_work(employed, people, role):
    employment, _card = employed
    with pytest.raises(EmployerTransitionRefused):
        services.employment_end(employment=employment, actor=people[role], ended_on=date(2027, 2, 1), reason="x")
    employment.refresh_from_db()
    assert employment.state == Employment.State.ACTIVE


def test_the_grace_period_overdue_and_the_reminder(employed, employer, applicant, settings):
    settings.EMPLOYMENT_GRACE_DAYS = 30
    employment, card = employed
    services.employment_end(employment=employment, actor=employer, ended_on=date(2027, 6, 30), reason="Closed")
    on_last_day, day_after = date(2027, 7, 30), date(2027, 7, 31)
    assert not grace_overdue(on_last_day).exists()
    assert services.grace_reminders_send(today=on_last_day) == 0
    assert list(grace_overdue(day_after)) == [employment]
    assert services.grace_reminders_send(today=day_after) == 1
    assert services.grace_reminders_send(today=day_after + timedelta(days=3)) == 0  # once a week
    assert services.grace_reminders_send(today=day_after + timedelta(days=7)) == 1
    assert Notification.objects.filter(recipient=applicant, kind="new_employer_due", channel="in_app").count() == 2


def test_naming_a_new_employer_ends_the_grace_period_and_asks_it(employed, employer, applicant, settings):
    employment, card = employed
    services.employment_end(employment=employment, actor=employer, ended_on=date(2027, 6, 30), reason="Closed")
    new_offer = services.new_employer_name(card=card, actor=applicant, bin="123456789013", position="Analyst")
    employment.refresh_from_db()
    assert employment.successor == new_offer and new_offer.state == JobOffer.State.REQUESTED
    assert not grace_overdue(date(2030, 1, 1)).exists()


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_holder_names_a_new_employer(employed, people, role):
    _employment, card = employed
    with pytest.raises(EmployerTransitionRefused):
        services.new_employer_name(card=card, actor=people[role], bin="123456789013")
