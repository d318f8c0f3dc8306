"""Queue selectors and routing: which cases a caseworker sees, and a case's priority on submission.

The one owner of "caseworker (senior) in this queue": a person works a queue when they are
in its caseworkers or seniors *and* hold a casework role; they are a senior there when they
are in its seniors *and* hold the senior role. ``_queues_of`` (person -> queues) and
``queue_workers`` (queues -> people) state it; ``in_queue`` / ``cases_in_queues`` answer it
for a case. Access gates, the workflow table, services, views and escalations call these and
never restate the role or the many-to-many lookups.
"""

import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from applications.casework.sla import sla_due
from applications.models import Application, Queue
from applications.states import State
from applications.workflow import workflow_step
from portal import roles
from portal.models import User


@functools.cache
def _QUEUES_SQL() -> str:  # noqa: N802 - a constant, built once the models are loaded
    """The user's queues, one row per (queue, region), with "is senior there".

    Plain SQL: compiling the equivalent ORM query (two EXISTS, a join) cost more than the
    rest of the queue page's filters; the page loads it on every request.
    """
    cw, sen, reg = Queue.caseworkers.field, Queue.seniors.field, Queue.regions.field
    return f"""
        SELECT q.id, q.name, q.product, q.priority_from, q.priority_to,
               EXISTS (SELECT 1 FROM {sen.m2m_db_table()} s
                       WHERE s.{sen.m2m_column_name()} = q.id AND s.{sen.m2m_reverse_name()} = %s) AS is_senior_here,
               r.{reg.m2m_reverse_name()} AS region_code
        FROM {Queue._meta.db_table} q
        LEFT JOIN {reg.m2m_db_table()} r ON r.{reg.m2m_column_name()} = q.id
        WHERE EXISTS (SELECT 1 FROM {cw.m2m_db_table()} c
                      WHERE c.{cw.m2m_column_name()} = q.id AND c.{cw.m2m_reverse_name()} = %s)
           OR EXISTS (SELECT 1 FROM {sen.m2m_db_table()} s
                      WHERE s.{sen.m2m_column_name()} = q.id AND s.{sen.m2m_reverse_name()} = %s)
        ORDER BY q.name, q.id, region_code"""  # noqa: S608 - names from the models, values bound  # nosec B608


def _queues_of(user: Any) -> list[tuple[Queue, list[str], bool]]:
    """(queue, region codes, is senior there) for every queue the user works; cached on the user.

    One query, whatever the number of queues or regions.
    """
    cached = getattr(user, "_casework_queues", None)
    if cached is not None:
        return cached
    result: list[tuple[Queue, list[str], bool]] = []
    if user is not None and user.is_authenticated and roles.has_role(user, *roles.CASEWORK_ROLES):
        is_senior = roles.has_role(user, roles.SENIOR_CASEWORKER)
        by_pk: dict[int, tuple[Queue, list[str], bool]] = {}
        for queue in Queue.objects.raw(_QUEUES_SQL(), [user.pk, user.pk, user.pk]):
            if queue.pk not in by_pk:
                by_pk[queue.pk] = (queue, [], is_senior and bool(queue.is_senior_here))
            if queue.region_code:
                by_pk[queue.pk][1].append(queue.region_code)
        result = list(by_pk.values())
    user._casework_queues = result
    return result


def queues_of(user: Any) -> list[Queue]:
    """The queues the user works (none without a casework role)."""
    return [queue for queue, _codes, _senior in _queues_of(user)]


def queue_condition(user: Any, *, senior: bool = False) -> Q | None:
    """Condition for the cases in the user's queues; None when they cover every case.

    Raises LookupError when the user works no queue at all.
    """
    parts = [(q, codes) for q, codes, is_senior in _queues_of(user) if is_senior or not senior]
    if not parts:
        raise LookupError("no queue")
    condition = Q(pk__in=[])
    for queue, codes in parts:
        if not queue.product and not codes and queue.priority_from <= 1 and queue.priority_to >= 9:
            return None  # a catch-all queue: no filter at all keeps the query simple
        condition |= queue.case_filter(codes)
    return condition


def cases_in_queues(user: Any, *, senior: bool = False) -> QuerySet[Application]:
    """Submitted (non-draft) cases in the user's queues; empty if they work none."""
    qs = Application.objects.exclude(state=State.DRAFT)
    try:
        condition = queue_condition(user, senior=senior)
    except LookupError:
        return qs.none()
    return qs if condition is None else qs.filter(condition)


@workflow_step("in_queue")
def in_queue(user: Any, application: Application, *, senior: bool = False) -> bool:
    """Whether the application sits in one of the user's queues (as a senior there, with ``senior``)."""
    return any(
        queue.covers(application, codes) for queue, codes, is_senior in _queues_of(user) if is_senior or not senior
    )


def queue_workers(queue_ids: Iterable[int], *, senior: bool = False) -> QuerySet[User]:
    """People who work any of these queues (as seniors there, with ``senior``).

    The other direction of ``_queues_of``, with the same rule: membership and the role both.
    """
    ids = list(queue_ids)
    if senior:
        condition = Q(senior_queues__in=ids, groups__name=roles.SENIOR_CASEWORKER)
    else:
        membership = Q(casework_queues__in=ids) | Q(senior_queues__in=ids)
        condition = membership & Q(groups__name__in=roles.CASEWORK_ROLES)
    return User.objects.filter(condition).distinct().order_by("email")


def queue_seniors(application: Application) -> list[Any]:
    """Senior caseworkers of the queues the case sits in (for escalations)."""
    covering = [q.pk for q in Queue.objects.prefetch_related("regions") if q.covers(application)]
    return list(queue_workers(covering, senior=True)) if covering else []


def scarce_categories(occupation_codes: Iterable[str], *, year: int | None = None) -> dict[str, int]:
    """Each listed occupation's priority (1 highest .. 3) on its latest scarce-professions rating
    up to ``year``, in one query (bulk rescoring asks for a whole pool at once)."""
    from eligibility.models import ScarceProfession

    codes = {code for code in occupation_codes if code}
    if not codes:
        return {}
    rows = (
        ScarceProfession.objects.filter(occupation_id__in=codes, year__lte=year or timezone.now().year)
        .order_by("occupation_id", "year")
        .values_list("occupation_id", "priority")
    )
    latest = dict(rows)  # ordered by year: the latest rating of each occupation wins
    return {code: priority for code, priority in latest.items() if isinstance(priority, int) and 1 <= priority <= 3}


def scarce_category(application: Application) -> int | None:
    """The occupation's priority (1 highest .. 3) on the latest scarce-professions rating, if listed."""
    return scarce_categories([application.occupation_code]).get(application.occupation_code)


def queue_priority(score: int | None, category: int | None) -> int:
    """1 (most urgent) to 3: the scarce-profession category or the score band, whichever is higher.

    Score bands: 80 and above is 1, 60 and above is 2 (the criteria's pass marks sit near 60).
    The one rule for a case's priority: routing, single scoring and bulk rescoring all call it.
    """
    by_score = 3 if score is None else 1 if score >= 80 else 2 if score >= 60 else 3
    return min(by_score, category) if category else by_score


def priority_for(application: Application, *, category: int | None = None) -> int:
    """``queue_priority`` of an application (its category looked up unless given)."""
    if category is None:
        category = scarce_category(application)
    return queue_priority(application.score, category)


def routing_changes(application: Application) -> dict:
    """Fields routing sets when a case (re-)enters the queue: priority and SLA deadline."""
    start = application.submitted_at or timezone.now()
    return {"priority": priority_for(application), "sla_due_at": sla_due(application.product, start)}


@workflow_step("route")
def route(app: Application, actor: Any, context: dict) -> None:
    """Workflow effect on (re-)entering the queue: priority and SLA deadline from now."""
    app.priority = priority_for(app)
    app.sla_due_at = sla_due(app.product, timezone.now())
    app.sla_escalated_at = None
    app.save(update_fields=["priority", "sla_due_at", "sla_escalated_at"])
