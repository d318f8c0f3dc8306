"""One owner for "caseworker (senior) in this queue": membership and role, in both directions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.casework.queues import in_queue, queue_seniors, queue_workers
from applications.casework.selectors import caseworkers_for
from applications.casework.services import sla_escalate
from applications.models import Notification, Queue
from portal import roles
from tests.conftest import _user


@pytest.fixture
def demoted_senior(db):
    """Still listed among the catch-all queue's seniors, but now holds only the caseworker role."""
    user = _user("demoted@example.kz", roles.CASEWORKER, staff=True)
    Queue.objects.get_or_create(name="All cases (tests)")[0].seniors.add(user)
    return user


@pytest.fixture
def no_role(db):
    """Listed among the queue's caseworkers and seniors, but holds no casework role any more."""
    user = _user("left@example.kz", staff=True)
    queue = Queue.objects.get_or_create(name="All cases (tests)")[0]
    queue.caseworkers.add(user)
    queue.seniors.add(user)
    return user


@pytest.mark.django_db
def test_escalations_go_only_to_people_who_still_hold_the_senior_role(make_case, senior, demoted_senior, no_role):
    late = make_case(sla_due_at=timezone.now() - timedelta(hours=2))
    assert queue_seniors(late) == [senior]
    assert sla_escalate() == 1
    assert {n.recipient for n in Notification.objects.filter(kind="case_overdue")} == {senior}


@pytest.mark.django_db
def test_queue_workers_agree_with_in_queue_for_every_person(
    make_case, caseworker, caseworker_outside, senior, senior_outside, demoted_senior, no_role, applicant
):
    case = make_case()
    queue_ids = [q.pk for q in Queue.objects.all()]
    covering = [q.pk for q in Queue.objects.all() if q.covers(case)]
    people = [caseworker, caseworker_outside, senior, senior_outside, demoted_senior, no_role, applicant]
    workers = set(queue_workers(covering))
    seniors = set(queue_workers(covering, senior=True))
    for person in people:
        assert (person in workers) == in_queue(person, case), person
        assert (person in seniors) == in_queue(person, case, senior=True), person
    assert demoted_senior in workers and demoted_senior not in seniors
    assert no_role not in set(queue_workers(queue_ids))


@pytest.mark.django_db
def test_a_senior_can_hand_cases_only_to_people_with_a_casework_role(senior, caseworker, no_role):
    assert set(caseworkers_for(senior)) == {senior, caseworker}
