"""Casework services (writes): claiming, reassigning, notes, requests for information, four-eyes decisions.

Views and the applicant journey call these; each is one transaction and leaves an audit event.
State changes go through applications.workflow.application_transition.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.casework.queues import cases_in_queues, in_queue, queue_seniors
from applications.models import Application, CaseNote, Decision, Document, LegalGround, RequestForInformation
from applications.states import CLAIMABLE_STATES, REASSIGNABLE_STATES, SLA_STATES, State
from applications.workflow import TransitionRefused, application_transition
from portal.audit.record import audit_record


def _decision_snapshot(app: Application, **extra: Any) -> dict:
    """What a decision was taken on: score, pass/fail and the criteria-set version."""
    return {
        "score": app.score,
        "passes": app.passes,
        "criteria_set_id": app.criteria_set_id,
        "priority": app.priority,
        **extra,
    }


def _require_caseworker(actor: Any, app: Application, *, senior: bool = False) -> None:
    if not in_queue(actor, app, senior=senior):
        raise TransitionRefused(_("You are not allowed to do this."))


def case_claim(*, application: Application | int, actor: Any, ip_address: str | None = None) -> Application:
    """Claim an unclaimed case in one of the actor's queues and start reviewing it."""
    pk = getattr(application, "pk", application)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        _require_caseworker(actor, app)
        if app.state not in CLAIMABLE_STATES:
            raise TransitionRefused(_("This case cannot be claimed in its current state."))
        if app.claimed_by_id and app.claimed_by_id != actor.pk:
            raise TransitionRefused(_("Another caseworker has already claimed this case."))
        return _claim_locked(app, actor, ip_address)


def _claim_locked(app: Application, actor: Any, ip_address: str | None) -> Application:
    now = timezone.now()
    Application.objects.filter(pk=app.pk).update(claimed_by=actor, claimed_at=now)
    app.claimed_by, app.claimed_at = actor, now
    audit_record(actor=actor, action="claim", obj=app, ip_address=ip_address)
    if app.state == State.SUBMITTED:
        app = application_transition(application=app, action="start_review", actor=actor, ip_address=ip_address)
    return app


def case_claim_next(*, actor: Any, ip_address: str | None = None) -> Application | None:
    """Claim the oldest, highest-priority unclaimed case in the actor's queues (None if none).

    ``SELECT ... FOR UPDATE SKIP LOCKED``: a second caseworker asking at the same moment
    skips the row the first one holds and gets the next case, never the same one.
    """
    with transaction.atomic():
        app = (
            cases_in_queues(actor)
            .filter(state__in=CLAIMABLE_STATES, claimed_by__isnull=True)
            .order_by("priority", "submitted_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if app is None:
            return None
        return _claim_locked(app, actor, ip_address)


def review_resume(*, application: Application | int, actor: Any, ip_address: str | None = None) -> Application:
    """The caseworker holding a case that came back to the queue (the applicant replied) resumes its review."""
    return application_transition(application=application, action="resume_review", actor=actor, ip_address=ip_address)


def case_release(*, application: Application | int, actor: Any, ip_address: str | None = None) -> Application:
    """Put a claimed case back in the queue (its holder, or a senior of its queue)."""
    pk = getattr(application, "pk", application)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        is_holder = app.claimed_by_id == getattr(actor, "pk", None)
        if not is_holder:
            _require_caseworker(actor, app, senior=True)
        else:
            _require_caseworker(actor, app)
        Application.objects.filter(pk=app.pk).update(claimed_by=None, claimed_at=None)
        app.claimed_by, app.claimed_at = None, None
        audit_record(actor=actor, action="release", obj=app, ip_address=ip_address)
    return app


def case_reassign(
    *, application: Application | int, actor: Any, to_user: Any, ip_address: str | None = None
) -> Application:
    """A senior hands a case to another caseworker of the case's queue."""
    pk = getattr(application, "pk", application)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        _require_caseworker(actor, app, senior=True)
        if not in_queue(to_user, app):
            raise TransitionRefused(_("That person does not work this case's queue."))
        if app.state not in REASSIGNABLE_STATES:
            raise TransitionRefused(_("This case cannot be reassigned in its current state."))
        previous = app.claimed_by_id
        now = timezone.now()
        Application.objects.filter(pk=app.pk).update(claimed_by=to_user, claimed_at=now)
        app.claimed_by, app.claimed_at = to_user, now
        audit_record(
            actor=actor,
            action="reassign",
            obj=app,
            snapshot={"from_user": previous, "to_user": to_user.pk},
            ip_address=ip_address,
        )
    return app


def cases_bulk_reassign(
    *, application_ids: Iterable[int], actor: Any, to_user: Any, ip_address: str | None = None
) -> tuple[int, list[int]]:
    """Reassign many cases; returns (number reassigned, ids refused). Each case is its own transaction."""
    done, refused = 0, []
    for pk in application_ids:
        try:
            case_reassign(application=pk, actor=actor, to_user=to_user, ip_address=ip_address)
            done += 1
        except (TransitionRefused, Application.DoesNotExist):
            refused.append(pk)
    return done, refused


def note_add(*, application: Application, actor: Any, text: str) -> CaseNote:
    """An internal note (never shown to the applicant)."""
    _require_caseworker(actor, application)
    text = text.strip()
    if not text:
        raise TransitionRefused(_("Write the note."))
    with transaction.atomic():
        note = CaseNote.objects.create(application=application, author=actor, text=text)
        audit_record(actor=actor, action="note", obj=note, application=application)
    return note


def rfi_create(
    *,
    application: Application | int,
    actor: Any,
    text: str,
    document_kinds: Iterable[str] = (),
    deadline: datetime | None = None,
    ip_address: str | None = None,
) -> RequestForInformation:
    """Ask the applicant for information; the case waits for their reply until the deadline."""
    pk = getattr(application, "pk", application)
    kinds = list(dict.fromkeys(document_kinds))
    unknown = set(kinds) - set(Document.Kind.values)
    if unknown:
        raise TransitionRefused(_("Unknown document kind."))
    deadline = deadline or timezone.now() + timedelta(days=settings.RFI_REPLY_DAYS)
    if deadline <= timezone.now():
        raise TransitionRefused(_("The deadline must be in the future."))
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        rfi = RequestForInformation.objects.create(
            application=app, requested_by=actor, text=text.strip(), document_kinds=kinds, deadline=deadline
        )
        application_transition(
            application=app,
            action="request_info",
            actor=actor,
            reason=text,
            snapshot={"rfi": rfi.pk, "document_kinds": kinds, "deadline": deadline.isoformat()},
            ip_address=ip_address,
            # The e-mail states the reply-by date (templates/emails/information_requested.*).
            context={"notify_payload": {"reply_by": deadline.isoformat()}},
        )
    return rfi


def rfi_reply(
    *, rfi: RequestForInformation, actor: Any, text: str, ip_address: str | None = None
) -> RequestForInformation:
    """The applicant answers a request for information; the case returns to its queue.

    Documents are uploaded through the applicant's document pages before calling this.
    """
    with transaction.atomic():
        locked = RequestForInformation.objects.select_for_update().get(pk=rfi.pk)
        if locked.replied_at is not None:
            raise TransitionRefused(_("This request has already been answered."))
        if not text.strip():
            raise TransitionRefused(_("Write your reply."))
        # The transition's effect records the reply on the open request (this one).
        application_transition(
            application=locked.application_id,
            action="reply",
            actor=actor,
            reason=text,
            snapshot={"rfi": locked.pk, "late": timezone.now() > locked.deadline},
            ip_address=ip_address,
        )
        locked.refresh_from_db()
    return locked


def decision_recommend(
    *,
    application: Application | int,
    actor: Any,
    recommendation: str,
    grounds: Iterable[LegalGround | int],
    text: str,
    ip_address: str | None = None,
) -> Decision:
    """A caseworker recommends approval or refusal, citing legal grounds and explaining why."""
    pk = getattr(application, "pk", application)
    if recommendation not in Decision.Recommendation.values:
        raise TransitionRefused(_("Choose approve or refuse."))
    ground_ids = [getattr(g, "pk", g) for g in grounds]
    chosen = list(LegalGround.objects.filter(pk__in=ground_ids, is_active=True, applies_to=recommendation))
    if not chosen or len(chosen) != len(set(ground_ids)):
        raise TransitionRefused(_("Choose at least one legal ground that fits the recommendation."))
    if not text.strip():
        raise TransitionRefused(_("Give a reason."))
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        if app.state != State.IN_REVIEW or app.claimed_by_id != getattr(actor, "pk", None):
            raise TransitionRefused(_("You are not allowed to do this."))
        decision = Decision.objects.create(
            application=app, recommendation=recommendation, text=text.strip(), recommended_by=actor
        )
        decision.grounds.set(chosen)
        application_transition(
            application=app,
            action="recommend",
            actor=actor,
            reason=text,
            snapshot=_decision_snapshot(
                app, decision=decision.pk, recommendation=recommendation, grounds=sorted(g.code for g in chosen)
            ),
            context={"decision": decision},
            ip_address=ip_address,
        )
    return decision


def decision_confirm(
    *, application: Application | int, actor: Any, note: str = "", ip_address: str | None = None
) -> Application:
    """A different senior confirms the recommendation.

    Approval takes a place in every applicable quota; with none left the case waits on the
    ranked list instead (state "waitlisted") for the next allocation round.
    """
    pk = getattr(application, "pk", application)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=pk)
        decision = app.decisions.filter(outcome=Decision.Outcome.PENDING).order_by("-recommended_at", "-id").first()
        if decision is None:
            raise TransitionRefused(_("There is no recommendation to review."))
        common = {
            "application": app,
            "actor": actor,
            "reason": note or decision.text,
            "context": {"decision": decision},
            "ip_address": ip_address,
        }
        snapshot = _decision_snapshot(app, decision=decision.pk, recommendation=decision.recommendation)
        if decision.recommendation == Decision.Recommendation.REFUSE:
            return application_transition(action="refuse", snapshot=snapshot, **common)
        from applications.casework.quotas import has_place

        if has_place(app):
            try:
                with transaction.atomic():
                    return application_transition(action="approve", snapshot=snapshot, **common)
            except TransitionRefused:
                # A concurrent approval took the last place between the check and the update.
                if has_place(app):
                    raise
        return application_transition(action="waitlist", snapshot=snapshot, **common)


def decision_send_back(
    *, application: Application | int, actor: Any, reason: str, ip_address: str | None = None
) -> Application:
    """A senior sends a recommendation back to the caseworker with a reason."""
    app = application_transition(
        application=application, action="send_back", actor=actor, reason=reason, ip_address=ip_address
    )
    return app


def sla_escalate(now: datetime | None = None, limit: int = 500) -> int:
    """Tell the queue's seniors about cases past their SLA deadline (once per case)."""
    from applications.notifications import notification_create

    now = now or timezone.now()
    count = 0
    overdue = Application.objects.filter(
        state__in=SLA_STATES,
        sla_due_at__lt=now,
        sla_escalated_at__isnull=True,
    ).order_by("sla_due_at")[:limit]
    for app in overdue:
        with transaction.atomic():
            # Conditional update: two beat runs at once escalate a case once.
            if not Application.objects.filter(pk=app.pk, sla_escalated_at__isnull=True).update(sla_escalated_at=now):
                continue
            event = audit_record(actor=None, action="sla_escalate", obj=app, snapshot={"due": str(app.sla_due_at)})
            for senior in queue_seniors(app):
                notification_create(
                    recipient=senior,
                    kind="case_overdue",
                    event_key=f"audit{event.pk}",
                    application=app,
                    payload={"reference": app.reference, "due_at": app.sla_due_at.isoformat()},
                )
            count += 1
    return count


def rfi_overdue_count() -> int:
    """Open requests for information past their deadline (for the dashboard)."""
    return RequestForInformation.objects.filter(replied_at__isnull=True, deadline__lt=timezone.now()).count()


def rfi_reminders_send(now: datetime | None = None, limit: int = 500) -> int:
    """Remind applicants RFI_REMINDER_DAYS_BEFORE days before a request's reply-by date.

    One reminder per request: the outbox key names the request, so a second beat run (or
    two at once) adds nothing. A request that gave less time than that gets no reminder:
    its own e-mail went out moments ago.
    """
    from applications.notifications import notification_create

    now = now or timezone.now()
    before = timedelta(days=settings.RFI_REMINDER_DAYS_BEFORE)
    due = (
        RequestForInformation.objects.filter(
            replied_at__isnull=True,
            application__state=State.AWAITING_APPLICANT,
            deadline__gt=now,
            deadline__lte=now + before,
        )
        .select_related("application__owner")
        .order_by("deadline")[:limit]
    )
    count = 0
    for rfi in due:
        if rfi.deadline - rfi.created_at <= before:
            continue
        with transaction.atomic():
            created = notification_create(
                recipient=rfi.application.owner,
                kind="information_reminder",
                event_key=f"rfi{rfi.pk}",
                application=rfi.application,
                payload={"reply_by": rfi.deadline.isoformat()},
            )
        count += bool(created)
    return count
