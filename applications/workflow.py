"""The application workflow: one transition table and the one function that applies it.

Nothing else writes ``Application.state`` (the model refuses it, see models/application.py).

Steps owned by other modules (route a case into its queue, take a quota place, issue the
card, "is this caseworker in the case's queue") are named in the table and registered by
their owners with ``@workflow_step(name)`` when those modules load (``ApplicationsConfig.ready``
imports them). So this module imports nothing above it and the import graph has no cycle.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import AdministrativeReview, Application, Decision
from applications.models.application import _state_write_allowed
from applications.notifications import notification_create
from applications.states import REVIEW_STATES, WITHDRAWABLE_STATES, State
from portal import roles
from portal.audit.record import audit_record
from portal.display import date_display

OWNER = "owner"
CASEWORKER = "caseworker"  # a caseworker or senior working a queue the case sits in
CLAIMER = "claimer"  # ... who has also claimed the case
SENIOR = "senior"  # a senior caseworker of a queue the case sits in
ADMIN = "admin"  # a criteria administrator (allocation rounds)
SYSTEM = "system"  # no person: tasks (actor None)


class TransitionRefused(Exception):
    """The action is not allowed for this actor in this state; the message says why."""


# A guard checks (reads only) and raises TransitionRefused; an effect writes, inside the
# same transaction, after the state has changed. Both get (application, actor, context).
Guard = Callable[[Application, Any, dict], None]
Effect = Callable[[Application, Any, dict], None]
# A step in the table: the function itself, or the name its owning module registers.
Step = Guard | str

_STEPS: dict[str, Callable[..., Any]] = {}
# The steps other modules must register (checked by tests/applications/test_workflow_steps.py).
REGISTERED_STEPS = ("route", "quota_full", "consume_quota", "issue_card", "in_queue", "request_offer")


def workflow_step(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a guard or effect (or the ``in_queue`` rule) under ``name`` for the table."""
    if name not in REGISTERED_STEPS:
        raise ImproperlyConfigured(f"the workflow table has no step {name!r}")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _STEPS[name] = fn
        return fn

    return register


# Observers of every transition (the analytics counters, applications/analytics/services.py):
# called inside the transaction after the effects, with (application, from_state, transition).
# Registered by their owners like the steps, so this module imports nothing above it.
_OBSERVERS: list[Callable[..., None]] = []


def transition_observer(fn: Callable[..., None]) -> Callable[..., None]:
    """Register ``fn(application, from_state, transition)`` to run on every transition."""
    if fn not in _OBSERVERS:
        _OBSERVERS.append(fn)
    return fn


def registered_step(name: str) -> Callable[..., Any]:
    try:
        return _STEPS[name]
    except KeyError as exc:
        raise ImproperlyConfigured(f"no module registered the workflow step {name!r}") from exc


def _run(step: Step) -> Guard:
    return registered_step(step) if isinstance(step, str) else step


@dataclass(frozen=True)
class Transition:
    action: str
    source: State
    target: State
    who: str
    requires_reason: bool = False
    notify: str = ""  # notification kind sent to the applicant, if any
    guards: tuple[Step, ...] = field(default=())
    effects: tuple[Step, ...] = field(default=())
    # Whether entering the target stamps its timestamp (_STAMPS): a case sent back by a
    # review keeps its submission date, a withdrawn review request the refusal's date.
    stamps: bool = True


def _t(action: str, sources: tuple[State, ...], target: State, who: str, **kw: Any) -> list[Transition]:
    return [Transition(action, source, target, who, **kw) for source in sources]


def _pending_decision(app: Application) -> Decision | None:
    return app.decisions.filter(outcome=Decision.Outcome.PENDING).order_by("-recommended_at", "-id").first()


def four_eyes(app: Application, actor: Any, context: dict) -> None:
    """Nobody confirms (or sends back) their own recommendation."""
    decision = context.get("decision") or _pending_decision(app)
    if decision is None:
        raise TransitionRefused(_("There is no recommendation to review."))
    if decision.recommended_by_id == getattr(actor, "pk", None):
        raise TransitionRefused(_("A different senior caseworker must review your own recommendation."))


def _recommendation_is(value: str) -> Guard:
    def guard(app: Application, actor: Any, context: dict) -> None:
        decision = context.get("decision") or _pending_decision(app)
        if decision is None or decision.recommendation != value:
            raise TransitionRefused(_("This does not match the recommendation."))

    guard.__name__ = f"recommendation_is_{value}"
    return guard


def has_pending_recommendation_by_actor(app: Application, actor: Any, context: dict) -> None:
    decision = context.get("decision") or _pending_decision(app)
    if decision is None or decision.recommended_by_id != getattr(actor, "pk", None):
        raise TransitionRefused(_("Record the recommendation with its grounds first."))


def _close_decision(outcome: str) -> Effect:
    def effect(app: Application, actor: Any, context: dict) -> None:
        decision = context.get("decision") or _pending_decision(app)
        if decision is None:
            return
        decision.outcome = outcome
        decision.confirmed_by = actor
        decision.confirmed_at = timezone.now()
        decision.senior_note = context.get("reason", "")
        decision.save(update_fields=["outcome", "confirmed_by", "confirmed_at", "senior_note"])

    effect.__name__ = f"close_decision_{outcome}"
    return effect


def not_claimed_by_another(app: Application, actor: Any, context: dict) -> None:
    if app.claimed_by_id not in (None, getattr(actor, "pk", None)):
        raise TransitionRefused(_("Another caseworker has already claimed this case."))


def claim_for_actor(app: Application, actor: Any, context: dict) -> None:
    """Starting a review claims the case for the reviewer (if they had not claimed it yet)."""
    if app.claimed_by_id is None:
        app.claimed_by, app.claimed_at = actor, timezone.now()
        app.save(update_fields=["claimed_by", "claimed_at"])


def record_rfi_reply(app: Application, actor: Any, context: dict) -> None:
    """The reply answers the open request for information (whoever calls the transition)."""
    open_rfi = app.rfis.filter(replied_at__isnull=True).order_by("-created_at", "-id").first()
    if open_rfi is not None:
        open_rfi.reply_text = context.get("reason", "").strip()
        open_rfi.replied_at = timezone.now()
        open_rfi.save(update_fields=["reply_text", "replied_at"])
        context["rfi"] = open_rfi.pk


def acknowledge_replies(app: Application, actor: Any, context: dict) -> None:
    app.rfis.filter(replied_at__isnull=False, acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())


# ---- Administrative review of a refusal (issue 19) ------------------------------------------


def refusal_reviewed(app: Application) -> Decision | None:
    """The refusal a review would look at: the case's latest confirmed refusal."""
    return (
        app.decisions.filter(recommendation=Decision.Recommendation.REFUSE, outcome=Decision.Outcome.CONFIRMED)
        .order_by("-confirmed_at", "-id")
        .first()
    )


def open_review(app: Application) -> AdministrativeReview | None:
    return app.reviews.filter(outcome=AdministrativeReview.Outcome.PENDING).order_by("-requested_at", "-id").first()


def review_deadline(app: Application) -> datetime | None:
    """The last moment the applicant may ask for a review of the refusal.

    None when there is no route: the case is not refused, or this refusal had its review
    already (one per refusal, whatever its outcome; a withdrawn request counts). The period
    (ADMIN_REVIEW_REQUEST_DAYS) runs from the refusal, which the letter is dated by.
    """
    if app.state != State.REFUSED:
        return None
    refusal = refusal_reviewed(app)
    if refusal is not None:
        if refusal.reviews.exists():
            return None
        start = refusal.confirmed_at or app.decided_at
    else:  # a refusal seeded or imported without its decision row
        if app.reviews.exists():
            return None
        start = app.decided_at
    if start is None:
        return None
    return start + timedelta(days=settings.ADMIN_REVIEW_REQUEST_DAYS)


def review_route_open(app: Application, actor: Any, context: dict) -> None:
    """Guard of "review_request": the refusal is not reviewed yet and the period has not ended."""
    deadline = review_deadline(app)
    if deadline is None:
        raise TransitionRefused(_("This refusal has already been reviewed, or cannot be reviewed."))
    if timezone.now() > deadline:
        raise TransitionRefused(
            _("The time to ask for a review ended on %(date)s.") % {"date": date_display(timezone.localtime(deadline))}
        )


def took_no_part_in_the_refusal(app: Application, actor: Any, context: dict) -> None:
    """The one rule of who may review a refusal: a senior who neither recommended nor confirmed
    any refusal of this case (the refusal reviewed, and any earlier one)."""
    pk = getattr(actor, "pk", None)
    refusals = app.decisions.filter(recommendation=Decision.Recommendation.REFUSE, outcome=Decision.Outcome.CONFIRMED)
    if refusals.filter(recommended_by_id=pk).exists() or refusals.filter(confirmed_by_id=pk).exists():
        raise TransitionRefused(_("A senior caseworker who took part in the refusal cannot review it."))


def is_the_reviewer(app: Application, actor: Any, context: dict) -> None:
    review = open_review(app)
    if review is None or review.reviewer_id != getattr(actor, "pk", None):
        raise TransitionRefused(_("Only the senior caseworker who took up the review can decide it."))


def review_open(app: Application, actor: Any, context: dict) -> None:
    """Effect of "review_request": the review row, its grounds, documents and due date."""
    review = AdministrativeReview.objects.create(
        application=app,
        refusal=refusal_reviewed(app),
        grounds=context.get("reason", "").strip(),
        due_at=app.sla_due_at or timezone.now(),
    )
    review.documents.set(context.get("review_documents", []))
    context["review"] = review.pk


def review_take(app: Application, actor: Any, context: dict) -> None:
    review = open_review(app)
    if review is not None:
        review.reviewer, review.started_at = actor, timezone.now()
        review.save(update_fields=["reviewer", "started_at"])
        context["review"] = review.pk


def _review_close(outcome: str) -> Effect:
    def effect(app: Application, actor: Any, context: dict) -> None:
        review = open_review(app)
        if review is None:
            return
        review.outcome = outcome
        review.outcome_reason = context.get("reason", "")
        review.decided_at = timezone.now()
        review.save(update_fields=["outcome", "outcome_reason", "decided_at"])
        context["review"] = review.pk

    effect.__name__ = f"review_close_{outcome}"
    return effect


def unclaim(app: Application, actor: Any, context: dict) -> None:
    """A case sent back for a new decision goes to the queue unclaimed."""
    app.claimed_by, app.claimed_at = None, None
    app.save(update_fields=["claimed_by", "claimed_at"])


_FOUR_EYES = (four_eyes,)
_IMPARTIAL_REVIEWER = (took_no_part_in_the_refusal, is_the_reviewer)

# (state, action) -> transition. Read top to bottom, it is the life of a case.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in [
        *_t(
            "submit",
            (State.DRAFT,),
            State.SUBMITTED,
            OWNER,
            notify="application_submitted",
            effects=("route", "request_offer"),
        ),
        *_t(
            "start_review",
            (State.SUBMITTED,),
            State.IN_REVIEW,
            CASEWORKER,
            notify="review_started",
            guards=(not_claimed_by_another,),
            effects=(claim_for_actor, acknowledge_replies),
        ),
        *_t(
            "request_info",
            (State.IN_REVIEW,),
            State.AWAITING_APPLICANT,
            CLAIMER,
            requires_reason=True,
            notify="information_requested",
        ),
        # The reason is the applicant's reply; the case goes back to its caseworker's queue.
        *_t(
            "reply",
            (State.AWAITING_APPLICANT,),
            State.SUBMITTED,
            OWNER,
            requires_reason=True,
            effects=(record_rfi_reply, "route"),
        ),
        # The caseworker who still holds the case takes it up again, without putting it back
        # in the queue (a reassigned, not yet started case too): the reply is acknowledged.
        *_t(
            "resume_review",
            (State.SUBMITTED,),
            State.IN_REVIEW,
            CLAIMER,
            effects=(acknowledge_replies,),
        ),
        *_t(
            "recommend",
            (State.IN_REVIEW,),
            State.RECOMMENDED,
            CLAIMER,
            requires_reason=True,
            guards=(has_pending_recommendation_by_actor,),
        ),
        *_t(
            "send_back",
            (State.RECOMMENDED,),
            State.IN_REVIEW,
            SENIOR,
            requires_reason=True,
            guards=_FOUR_EYES,
            effects=(_close_decision("sent_back"),),
        ),
        *_t(
            "approve",
            (State.RECOMMENDED,),
            State.APPROVED,
            SENIOR,
            notify="decision_made",
            guards=(*_FOUR_EYES, _recommendation_is("approve")),
            effects=("consume_quota", _close_decision("confirmed"), "issue_card"),
        ),
        # Approval confirmed but a quota is full: the case waits on the ranked list.
        *_t(
            "waitlist",
            (State.RECOMMENDED,),
            State.WAITLISTED,
            SENIOR,
            notify="application_waitlisted",
            guards=(*_FOUR_EYES, _recommendation_is("approve"), "quota_full"),
        ),
        *_t(
            "refuse",
            (State.RECOMMENDED,),
            State.REFUSED,
            SENIOR,
            requires_reason=True,
            notify="decision_made",
            guards=(*_FOUR_EYES, _recommendation_is("refuse")),
            effects=(_close_decision("confirmed"),),
        ),
        # Administrative review: the refused applicant asks within the period the letter states;
        # a senior with no part in the refusal takes it up and upholds it (the case stays
        # refused) or overturns it (back to the queue for a new decision, which takes quota
        # like any approval); the applicant may withdraw the request meanwhile.
        *_t(
            "review_request",
            (State.REFUSED,),
            State.REVIEW_REQUESTED,
            OWNER,
            requires_reason=True,
            notify="review_requested",
            guards=(review_route_open,),
            effects=(review_open,),
            stamps=False,
        ),
        *_t(
            "review_start",
            (State.REVIEW_REQUESTED,),
            State.UNDER_REVIEW,
            SENIOR,
            guards=(took_no_part_in_the_refusal,),
            effects=(review_take,),
        ),
        *_t(
            "review_uphold",
            (State.UNDER_REVIEW,),
            State.REFUSED,
            SENIOR,
            requires_reason=True,
            notify="review_decided",
            guards=_IMPARTIAL_REVIEWER,
            effects=(_review_close(AdministrativeReview.Outcome.UPHELD),),
        ),
        *_t(
            "review_overturn",
            (State.UNDER_REVIEW,),
            State.SUBMITTED,
            SENIOR,
            requires_reason=True,
            notify="review_decided",
            guards=_IMPARTIAL_REVIEWER,
            effects=(_review_close(AdministrativeReview.Outcome.OVERTURNED), unclaim, "route"),
            stamps=False,
        ),
        *_t(
            "review_withdraw",
            tuple(sorted(REVIEW_STATES)),
            State.REFUSED,
            OWNER,
            notify="review_withdrawn",
            effects=(_review_close(AdministrativeReview.Outcome.WITHDRAWN),),
            stamps=False,
        ),
        # An allocation round moves the top waiting cases back to final review.
        *_t("release", (State.WAITLISTED,), State.RECOMMENDED, ADMIN),
        *_t("issue", (State.APPROVED,), State.ISSUED, SYSTEM, notify="card_issued"),
        *_t("withdraw", tuple(sorted(WITHDRAWABLE_STATES)), State.WITHDRAWN, OWNER, notify="application_withdrawn"),
    ]
}
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(action for _state, action in TRANSITIONS))

# Timestamps stamped by the transition into a state.
_STAMPS = {State.SUBMITTED: "submitted_at", State.APPROVED: "decided_at", State.REFUSED: "decided_at"}


def actions_for(application: Application, actor: Any, context: dict | None = None) -> list[str]:
    """Actions this actor may take on the application in its current state (for buttons).

    Checks the table, the actor and the guards (which only read), as the transition will.
    """
    allowed = []
    for (state, _action), t in TRANSITIONS.items():
        if state != application.state or not _actor_allowed(t, application, actor):
            continue
        try:
            for guard in t.guards:
                _run(guard)(application, actor, context or {})
        except TransitionRefused:
            continue
        allowed.append(t.action)
    return allowed


def _actor_allowed(rule: Transition, application: Application, actor: Any) -> bool:
    in_queue = registered_step("in_queue")
    if rule.who == SYSTEM:
        return actor is None
    if actor is None or not actor.is_authenticated:
        return False
    if rule.who == OWNER:
        return actor.pk == application.owner_id
    if rule.who == CASEWORKER:
        return in_queue(actor, application)
    if rule.who == CLAIMER:
        return application.claimed_by_id == actor.pk and in_queue(actor, application)
    if rule.who == SENIOR:
        return in_queue(actor, application, senior=True)
    if rule.who == ADMIN:
        return roles.has_role(actor, roles.CRITERIA_ADMIN)
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
        context = {**(context or {}), "reason": reason}
        for guard in rule.guards:
            _run(guard)(app, actor, context)

        from_state = app.state
        update_fields = ["state", "updated_at"]
        for name, value in (changes or {}).items():
            setattr(app, name, value)
            update_fields.append(name)
        if rule.stamps and (stamp := _STAMPS.get(rule.target)):
            setattr(app, stamp, timezone.now())
            update_fields.append(stamp)
        app.state = rule.target
        token = _state_write_allowed.set(True)
        try:
            app.save(update_fields=sorted(set(update_fields)))
        finally:
            _state_write_allowed.reset(token)
        for effect in rule.effects:
            _run(effect)(app, actor, context)
        for observe in _OBSERVERS:
            observe(app, from_state, rule)

        event = audit_record(
            actor=actor,
            action=action,
            obj=app,
            from_state=from_state,
            to_state=rule.target,
            reason=reason,
            snapshot={**(snapshot or {}), **{k: context[k] for k in ("quotas_used", "review") if k in context}},
            ip_address=ip_address,
        )
        if rule.notify:
            notification_create(
                recipient=app.owner,
                kind=rule.notify,
                event_key=f"audit{event.pk}",
                application=app,
                payload={
                    "action": action,
                    "from_state": from_state,
                    "to_state": rule.target,
                    # What the caller adds for the message (e.g. a request's reply-by date).
                    **context.get("notify_payload", {}),
                },
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
