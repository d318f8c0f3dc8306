"""The application workflow: one transition table and the one function that applies it.

Nothing else writes ``Application.state`` (the model refuses it, see models/application.py).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.audit import audit_record
from applications.models import Application
from applications.models.application import _state_write_allowed
from applications.notifications import notification_create
from applications.states import State
from portal import roles

OWNER = "owner"
CASEWORKER = "caseworker"
SENIOR = "senior"
SYSTEM = "system"


class TransitionRefused(Exception):
    """The action is not allowed for this actor in this state; the message says why."""


Guard = Callable[[Application, Any, dict], None]


@dataclass(frozen=True)
class Transition:
    action: str
    source: State
    target: State
    who: str
    requires_reason: bool = False
    notify: str = ""  # notification kind sent to the applicant, if any
    guards: tuple[Guard, ...] = field(default=())


def _t(action: str, sources: tuple[State, ...], target: State, who: str, **kw: Any) -> list[Transition]:
    return [Transition(action, source, target, who, **kw) for source in sources]


_WITHDRAWABLE = (State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.AWAITING_APPLICANT, State.RECOMMENDED)

# (state, action) -> transition. Read top to bottom, it is the life of a case.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        *_t("submit", (State.DRAFT,), State.SUBMITTED, OWNER, notify="application_submitted"),
        *_t("start_review", (State.SUBMITTED,), State.IN_REVIEW, CASEWORKER, notify="review_started"),
        *_t(
            "request_info",
            (State.IN_REVIEW,),
            State.AWAITING_APPLICANT,
            CASEWORKER,
            requires_reason=True,
            notify="information_requested",
        ),
        *_t("reply", (State.AWAITING_APPLICANT,), State.SUBMITTED, OWNER),
        *_t("recommend", (State.IN_REVIEW,), State.RECOMMENDED, CASEWORKER, requires_reason=True),
        *_t("send_back", (State.RECOMMENDED,), State.IN_REVIEW, SENIOR, requires_reason=True),
        *_t("approve", (State.RECOMMENDED,), State.APPROVED, SENIOR, notify="decision_made"),
        *_t("refuse", (State.RECOMMENDED,), State.REFUSED, SENIOR, requires_reason=True, notify="decision_made"),
        *_t("issue", (State.APPROVED,), State.ISSUED, SYSTEM, notify="card_issued"),
        *_t("withdraw", _WITHDRAWABLE, State.WITHDRAWN, OWNER, notify="application_withdrawn"),
    ]
}

# Timestamps stamped by the transition into a state.
_STAMPS = {State.SUBMITTED: "submitted_at", State.APPROVED: "decided_at", State.REFUSED: "decided_at"}


def actions_for(application: Application, actor: Any) -> list[str]:
    """Actions this actor may take on the application in its current state (for buttons)."""
    return [
        t.action
        for (state, _action), t in TRANSITIONS.items()
        if state == application.state and _actor_allowed(t, application, actor)
    ]


def _actor_allowed(rule: Transition, application: Application, actor: Any) -> bool:
    if rule.who == SYSTEM:
        return actor is None
    if actor is None or not actor.is_authenticated:
        return False
    if rule.who == OWNER:
        return actor.pk == application.owner_id
    if rule.who == CASEWORKER:
        return roles.has_role(actor, roles.CASEWORKER, roles.SENIOR_CASEWORKER)
    if rule.who == SENIOR:
        return roles.has_role(actor, roles.SENIOR_CASEWORKER)
    return False


def application_transition(
    *,
    application: Application | int,
    action: str,
    actor: Any,
    reason: str = "",
    snapshot: dict | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
    context: dict | None = None,
) -> Application:
    """Apply ``action`` to the application, or raise TransitionRefused.

    In one transaction: lock the row, check the table, the actor and the guards, change
    the state (plus ``changes``, other fields set by the same step), write the audit event
    and the applicant's outbox notifications.
    """
    pk = application.pk if isinstance(application, Application) else application
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        rule = TRANSITIONS.get((app.state, action))
        if rule is None:
            raise TransitionRefused(
                _("This cannot be done while the application is “%(state)s”.") % {"state": app.get_state_display()}
            )
        if not _actor_allowed(rule, app, actor):
            raise TransitionRefused(_("You are not allowed to do this."))
        if rule.requires_reason and not reason.strip():
            raise TransitionRefused(_("Give a reason."))
        for guard in rule.guards:
            guard(app, actor, context or {})

        from_state = app.state
        update_fields = ["state", "updated_at"]
        for name, value in (changes or {}).items():
            setattr(app, name, value)
            update_fields.append(name)
        if stamp := _STAMPS.get(rule.target):
            setattr(app, stamp, timezone.now())
            update_fields.append(stamp)
        app.state = rule.target
        token = _state_write_allowed.set(True)
        try:
            app.save(update_fields=sorted(set(update_fields)))
        finally:
            _state_write_allowed.reset(token)

        event = audit_record(
            actor=actor,
            action=action,
            obj=app,
            from_state=from_state,
            to_state=rule.target,
            reason=reason,
            snapshot=snapshot or {},
            ip_address=ip_address,
        )
        if rule.notify:
            notification_create(
                recipient=app.owner,
                kind=rule.notify,
                event_key=f"audit{event.pk}",
                application=app,
                payload={"action": action, "from_state": from_state, "to_state": rule.target},
            )
    return app


@contextmanager
def state_writes_for_seeding() -> Iterator[None]:
    """Allow direct state writes, for seed_demo's bulk inserts and test fixtures only."""
    token = _state_write_allowed.set(True)
    try:
        yield
    finally:
        _state_write_allowed.reset(token)
