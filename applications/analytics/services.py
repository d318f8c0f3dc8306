"""Writes of the aggregate tables (issue 17): incremental counters and the full rebuild.

Incremental: ``record_transition`` is registered as a workflow observer, so it runs inside
``application_transition``'s transaction for every state change, and ``record_draft`` /
``record_self_check`` count the two events that are not transitions. Counters are added with
``UPDATE ... SET count = count + n`` (an F() expression), so two transactions adding to the
same row never lose a count; a missing row is inserted in a savepoint and, if a concurrent
insert won, updated instead.

Rebuild: ``analytics_rebuild`` recomputes every counter from the raw cases and the audit
trail (which records every transition with its time), for backfill and for checking that the
incremental path never drifted (tests/applications/analytics/test_rebuild.py).
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from applications.analytics.models import FlowCount, SlaCount, StageClock, StageDuration
from applications.models import Application
from applications.workflow import ACTIONS, Transition, transition_observer
from eligibility.signals import self_check_completed
from portal.audit.models import AuditEvent

DRAFT = "draft"
SELF_CHECK = "self_check"
# Final decisions: they stop the SLA clock (the SLA breach rate counts them).
DECISION_ACTIONS = frozenset({"approve", "refuse", "waitlist"})
# "Higher or vocational education", the paper's measure of qualified arrivals
# (applications/forms/fields.py EDUCATION_CHOICES: all but secondary school).
QUALIFIED_LEVELS = frozenset({"vocational", "bachelor", "master", "doctorate"})
# Sections the products keep the education level in (Kandas Card: profession; visa: education).
EDUCATION_SECTIONS = ("profession", "education")


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def citizenship_of(answers: Any) -> str:
    """The ISO 3166-1 alpha-2 citizenship answered, or "" (never more than the key holds)."""
    value = (answers or {}).get("personal", {}).get("citizenship") if isinstance(answers, dict) else None
    if isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    return ""


def is_qualified(answers: Any) -> bool:
    if not isinstance(answers, dict):
        return False
    for section in EDUCATION_SECTIONS:
        level = (answers.get(section) or {}).get("education_level")
        if level in QUALIFIED_LEVELS:
            return True
    return False


def dimensions(app: Application, moment: datetime) -> dict[str, Any]:
    """The key every table shares, for this case at this moment."""
    return {
        "month": month_of(moment),
        "product": app.product,
        "region": app.region_id or "",
        "sector": app.sector or "",
        "citizenship": citizenship_of(app.answers),
        "occupation": app.occupation_code or "",
    }


def _add(model: type[models.Model], key: dict[str, Any], **amounts: int) -> None:
    """Add ``amounts`` to the counters of the row under ``key``, creating it if missing."""
    increments = {name: F(name) + n for name, n in amounts.items()}
    if model.objects.filter(**key).update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **amounts)
    except IntegrityError:
        # Another transaction inserted the row between our update and insert: add to it.
        model.objects.filter(**key).update(**increments)


def hours_between(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 3600))


@transition_observer
def record_transition(app: Application, from_state: str, rule: Transition) -> None:
    """Count the transition, the time spent in the stage it ends, and an SLA breach if any."""
    now = timezone.now()
    dims = dimensions(app, now)
    _add(
        FlowCount,
        {
            **dims,
            "event": rule.action,
            "qualified": is_qualified(app.answers),
            "criteria_set_id": app.criteria_set_id or 0,
        },
        count=1,
    )
    clock = StageClock.objects.filter(application_id=app.pk).first()
    if clock is not None:
        _add(
            StageDuration,
            {**dims, "stage": from_state, "priority": app.priority, "hours": hours_between(clock.entered_at, now)},
            count=1,
        )
        clock.entered_at = now
        clock.save(update_fields=["entered_at"])
    else:
        # A case older than the counters: its stage start is unknown until the next transition.
        StageClock.objects.create(application_id=app.pk, entered_at=now)
    if rule.action in DECISION_ACTIONS:
        breached = int(app.sla_due_at is not None and now > app.sla_due_at)
        _add(SlaCount, {**dims, "priority": app.priority}, decided=1, breached=breached)


def record_draft(app: Application) -> None:
    """An application was opened (the funnel's "drafts"); starts its stage clock."""
    now = timezone.now()
    _add(FlowCount, {**dimensions(app, now), "event": DRAFT}, count=1)
    StageClock.objects.update_or_create(application_id=app.pk, defaults={"entered_at": now})


@receiver(self_check_completed, dispatch_uid="analytics_self_check")
def record_self_check(sender: Any, product: str, **kwargs: Any) -> None:
    """A public self-check ended with a result: counted by product only (nothing else is known)."""
    _add(FlowCount, {"month": month_of(timezone.now()), "product": product, "event": SELF_CHECK}, count=1)


# ---- Rebuild -----------------------------------------------------------------------------


def _events() -> Iterator[tuple[int, str, str, datetime]]:
    """(application id, action, from state, time) of every draft start and transition, per case
    in time order. The audit trail is the record: every transition writes one row."""
    yield from (
        AuditEvent.objects.filter(application__isnull=False, action__in=[*ACTIONS, "draft_started"])
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "action", "from_state", "created_at")
        .iterator(chunk_size=5000)
    )


def _cases(ids: Iterable[int]) -> dict[int, Application]:
    fields = ("pk", "product", "region_id", "sector", "answers", "occupation_code", "criteria_set_id")
    fields += ("priority", "sla_due_at")
    return {app.pk: app for app in Application.objects.filter(pk__in=list(ids)).only(*fields)}


def analytics_rebuild(*, batch: int = 2000) -> dict[str, int]:
    """Recompute every aggregate row from the raw cases and the audit trail; returns row counts.

    Self-check runs are kept: the self-check stores nothing, so they cannot be recounted.
    Priority and SLA deadline are the case's current ones (the trail does not keep them).
    """
    flows: Counter = Counter()
    stages: Counter = Counter()
    sla: Counter = Counter()
    clocks: dict[int, datetime] = {}

    def consume(chunk: list[tuple[int, str, str, datetime]]) -> None:
        cases = _cases({row[0] for row in chunk})
        for app_id, action, from_state, at in chunk:
            app = cases.get(app_id)
            if app is None:
                continue
            dims = tuple(dimensions(app, at).values())
            if action == "draft_started":
                flows[(*dims[:2], "", "", "", "", DRAFT, False, 0)] += 1
                clocks[app_id] = at
                continue
            flows[(*dims, action, is_qualified(app.answers), app.criteria_set_id or 0)] += 1
            if app_id in clocks:
                stages[(*dims, from_state, app.priority, hours_between(clocks[app_id], at))] += 1
            clocks[app_id] = at
            if action in DECISION_ACTIONS:
                row = sla[(*dims, app.priority)]
                breached = int(app.sla_due_at is not None and at > app.sla_due_at)
                sla[(*dims, app.priority)] = (row[0] + 1, row[1] + breached) if row else (1, breached)

    chunk: list[tuple[int, str, str, datetime]] = []
    for row in _events():
        # Keep one case's events in one chunk, so its clock runs in order.
        if len(chunk) >= batch and row[0] != chunk[-1][0]:
            consume(chunk)
            chunk = []
        chunk.append(row)
    consume(chunk)

    dim_names = ("month", "product", "region", "sector", "citizenship", "occupation")
    with transaction.atomic():
        FlowCount.objects.exclude(event=SELF_CHECK).delete()
        StageDuration.objects.all().delete()
        SlaCount.objects.all().delete()
        StageClock.objects.all().delete()
        FlowCount.objects.bulk_create(
            (
                FlowCount(**dict(zip((*dim_names, "event", "qualified", "criteria_set_id"), key, strict=True)), count=n)
                for key, n in flows.items()
            ),
            batch_size=5000,
        )
        StageDuration.objects.bulk_create(
            (
                StageDuration(**dict(zip((*dim_names, "stage", "priority", "hours"), key, strict=True)), count=n)
                for key, n in stages.items()
            ),
            batch_size=5000,
        )
        SlaCount.objects.bulk_create(
            (
                SlaCount(**dict(zip((*dim_names, "priority"), key, strict=True)), decided=d, breached=b)
                for key, (d, b) in sla.items()
            ),
            batch_size=5000,
        )
        StageClock.objects.bulk_create(
            (StageClock(application_id=pk, entered_at=at) for pk, at in clocks.items()), batch_size=5000
        )
    return {"flows": len(flows), "stages": len(stages), "sla": len(sla), "clocks": len(clocks)}
