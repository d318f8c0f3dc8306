"""Claiming: claim next takes the oldest highest-priority case; two caseworkers never share one."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.casework.services import case_claim, case_claim_next, case_reassign, case_release, cases_bulk_reassign
from applications.states import State
from applications.workflow import TransitionRefused
from portal.audit.models import AuditEvent
from tests import services
from tests.conftest import _join_all_cases_queue, _user


@pytest.mark.django_db
def test_claim_next_takes_the_highest_priority_then_the_oldest(make_case, caseworker):
    now = timezone.now()
    make_case(priority=2, submitted_at=now - timedelta(days=9))
    urgent_new = make_case(priority=1, submitted_at=now - timedelta(days=1))
    urgent_old = make_case(priority=1, submitted_at=now - timedelta(days=2))
    make_case(priority=1, submitted_at=now - timedelta(days=5), state=State.AWAITING_APPLICANT)
    assert case_claim_next(actor=caseworker).pk == urgent_old.pk
    assert case_claim_next(actor=caseworker).pk == urgent_new.pk
    urgent_old.refresh_from_db()
    assert urgent_old.claimed_by == caseworker
    assert urgent_old.state == State.IN_REVIEW


@pytest.mark.django_db
def test_claim_next_returns_none_when_the_queue_is_empty(caseworker, caseworker_outside, make_case):
    make_case()
    assert case_claim_next(actor=caseworker_outside) is None


@pytest.mark.django_db
def test_a_claimed_case_cannot_be_claimed_by_another(make_case, caseworker, senior):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    with pytest.raises(TransitionRefused):
        case_claim(application=app, actor=senior)


@pytest.mark.django_db
def test_release_and_reassign(make_case, caseworker, senior, caseworker_outside):
    app = make_case()
    case_claim(application=app, actor=caseworker)
    case_release(application=app, actor=caseworker)
    app.refresh_from_db()
    assert app.claimed_by is None and app.state == State.IN_REVIEW
    with pytest.raises(TransitionRefused):
        case_reassign(application=app, actor=caseworker, to_user=senior)  # not a senior
    with pytest.raises(TransitionRefused):
        case_reassign(application=app, actor=senior, to_user=caseworker_outside)  # not in the queue
    case_reassign(application=app, actor=senior, to_user=caseworker)
    app.refresh_from_db()
    assert app.claimed_by == caseworker
    assert list(AuditEvent.objects.filter(application=app).values_list("action", flat=True)) == [
        "claim",
        "start_review",
        "release",
        "reassign",
    ]


@pytest.mark.django_db
def test_senior_bulk_reassigns_from_the_queue_page(client, make_case, caseworker, senior):
    cases = [make_case() for _ in range(3)]
    client.force_login(senior)
    response = client.post(
        reverse("casework:bulk_reassign"), {"cases": [c.pk for c in cases], "to_user": caseworker.pk}
    )
    assert response.status_code == 302
    assert all(c.claimed_by_id == caseworker.pk for c in [type(c).objects.get(pk=c.pk) for c in cases])
    assert cases_bulk_reassign(application_ids=[cases[0].pk], actor=caseworker, to_user=caseworker) == (
        0,
        [cases[0].pk],
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claim_next_never_gives_two_caseworkers_the_same_case(applicant, threads_run_eager_tasks):
    services.require_postgres()
    from tests.applications.casework.conftest import build_case

    workers = [_join_all_cases_queue(_user(f"cw{i}@example.kz", "caseworker", staff=True)) for i in range(2)]
    cases = [build_case(applicant) for _ in range(10)]
    claimed: dict[int, list[int]] = {w.pk: [] for w in workers}
    barrier = threading.Barrier(2)
    errors = []

    def work(user):
        try:
            barrier.wait()
            while True:
                app = case_claim_next(actor=user)
                if app is None:
                    break
                claimed[user.pk].append(app.pk)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    everything = claimed[workers[0].pk] + claimed[workers[1].pk]
    assert sorted(everything) == sorted(c.pk for c in cases)  # each case claimed exactly once
    assert len(set(everything)) == len(everything)
