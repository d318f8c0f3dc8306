"""Queue selectors and routing: which cases a caseworker sees, and a case's priority on submission."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from applications.models import Application, Queue
from applications.sla import sla_due
from applications.states import State
from portal import roles


def _queues_of(user: Any) -> list[tuple[Queue, list[str], bool]]:
    """(queue, region codes, is senior there) for every queue the user works; cached on the user.

    Two queries, whatever the number of queues or regions.
    """
    cached = getattr(user, "_casework_queues", None)
    if cached is not None:
        return cached
    result: list[tuple[Queue, list[str], bool]] = []
    if user is not None and user.is_authenticated and roles.has_role(user, *roles.CASEWORK_ROLES):
        queues = (
            Queue.objects.filter(Q(caseworkers=user) | Q(seniors=user))
            .distinct()
            .prefetch_related("regions")
            .order_by("name")
        )
        senior_ids = set(user.senior_queues.values_list("pk", flat=True))
        is_senior = roles.has_role(user, roles.SENIOR_CASEWORKER)
        for queue in queues:
            codes = [r.code for r in queue.regions.all()]
            result.append((queue, codes, is_senior and queue.pk in senior_ids))
    user._casework_queues = result
    return result


def queues_of(user: Any) -> list[Queue]:
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


def in_queue(user: Any, application: Application, *, senior: bool = False) -> bool:
    """Whether the application sits in one of the user's queues (as a senior there, with ``senior``)."""
    return any(
        queue.covers(application, codes) for queue, codes, is_senior in _queues_of(user) if is_senior or not senior
    )


def queue_seniors(application: Application) -> list[Any]:
    """Senior caseworkers of the queues the case sits in (for escalations)."""
    seniors: dict[int, Any] = {}
    for queue in Queue.objects.prefetch_related("regions", "seniors"):
        if queue.covers(application, [r.code for r in queue.regions.all()]):
            for user in queue.seniors.all():
                seniors[user.pk] = user
    return list(seniors.values())


def priority_for(application: Application) -> int:
    """1 (most urgent) to 3, from the scarce-professions category and the score.

    The eligibility engine records the occupation's scarce-profession category in the score
    breakdown (``scarce_category``: 1 = highest); without it the score decides.
    """
    detail = application.score_detail or {}
    category = detail.get("scarce_category")
    if isinstance(category, int) and 1 <= category <= 3:
        return category
    score = application.score
    if score is None:
        return 3
    if score >= 80:
        return 1
    if score >= 60:
        return 2
    return 3


def routing_changes(application: Application) -> dict:
    """Fields routing sets when a case (re-)enters the queue: priority and SLA deadline."""
    start = application.submitted_at or timezone.now()
    return {"priority": priority_for(application), "sla_due_at": sla_due(application.product, start)}
