"""Applicant writes: start a draft, save answers, documents, submit, reply, withdraw, expire drafts.

Views validate with the section forms and call one of these; the rules live here.
"""

import functools
import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import sections
from applications.analytics.services import record_draft
from applications.documents.services import document_pages_queue
from applications.models import Application, ApplicationScore, Document
from applications.notifications import notification_create
from applications.products import get_product
from applications.references import reference_allocate
from applications.scoring.tasks import application_score_task
from applications.states import OPEN_STATES, State
from applications.workflow import TransitionRefused, application_transition
from eligibility.models import Region
from eligibility.services import published_set
from portal.audit.record import audit_record
from portal.queueing import enqueue_on_commit

logger = logging.getLogger(__name__)


class ApplicationStartRefused(Exception):
    """The applicant already has an open application for this product."""

    def __init__(self, application: Application) -> None:
        super().__init__(str(application))
        self.application = application


class StaleAnswers(Exception):
    """The answers changed (another tab) since the page was loaded."""


class NotEditable(Exception):
    """The application is no longer a draft: answers and documents are frozen."""


class SubmissionIncomplete(Exception):
    """Sections still to complete before submitting (their slugs in ``sections``)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def application_start(*, owner: Any, product: str) -> Application:
    """Open a draft for ``product``, or return the draft already open.

    One open application per product: a second one can start only once the previous one
    ended (refused, withdrawn, issued). The owner's row is locked so that two clicks
    cannot open two drafts.
    """
    product = get_product(product).code
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=owner.pk)
        current = (
            Application.objects.filter(owner=owner, product=product, state__in=OPEN_STATES)
            .order_by("-created_at")
            .first()
        )
        if current is not None:
            if current.state == State.DRAFT:
                return current
            raise ApplicationStartRefused(current)
        application = Application.objects.create(owner=owner, product=product)
        audit_record(actor=owner, action="draft_started", obj=application)
        record_draft(application)
    return application


def _locked_draft(application: Application, expected_version: int | None) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.state != State.DRAFT:
        raise NotEditable
    if expected_version is not None and expected_version != app.version:
        raise StaleAnswers
    return app


def indexed_columns(application: Application) -> dict[str, Any]:
    """The facts copied out of the completed answers into indexed columns for the queues."""
    answers = application.answers
    done = answers.get(sections.PROGRESS_KEY, {})

    def completed(slug: str) -> dict:
        return answers.get(slug, {}) if done.get(slug) == sections.COMPLETED else {}

    personal, passport = completed("personal"), completed("passport")
    name = " ".join(p for p in (personal.get("given_names_latin"), personal.get("family_name_latin")) if p)
    values = get_product(application.product).indexed(completed, application.track)
    region = Region.objects.filter(pk=values.region_code).first() if values.region_code else None
    return {
        "applicant_name": name[:200],
        "passport_number": passport.get("passport_number", ""),
        "region": region,
        "sector": values.sector or "",
        "occupation_code": values.occupation_code or "",
    }


def answers_save(
    *,
    application: Application,
    section: str,
    values: dict[str, Any],
    complete: bool,
    actor: Any,
    expected_version: int | None = None,
) -> Application:
    """Save one section's answers (validated, or as typed when ``complete`` is False).

    Also records the section's progress, copies the indexed columns and bumps ``version``,
    under a row lock so two tabs cannot interleave their writes.
    """
    with transaction.atomic():
        app = _locked_draft(application, expected_version)
        answers = dict(app.answers)
        answers[section] = values
        progress = dict(answers.get(sections.PROGRESS_KEY, {}))
        progress[section] = sections.COMPLETED if complete else sections.IN_PROGRESS
        answers[sections.PROGRESS_KEY] = progress
        app.answers = answers
        fields = ["answers", "version", "updated_at"]
        if section == "track" and complete:
            app.track = values["track"]
            fields.append("track")
        for name, value in indexed_columns(app).items():
            setattr(app, name, value)
        fields += ["applicant_name", "passport_number", "region", "sector", "occupation_code"]
        app.version += 1
        app.save(update_fields=fields)
    return app


def family_member_add(*, application: Application, member: dict, actor: Any) -> Application:
    """Add one family member (the "add another" pattern); the section is then in progress."""
    family = dict(application.answers.get(sections.FAMILY) or {})
    members = [*family.get("members", []), member]
    return answers_save(
        application=application,
        section=sections.FAMILY,
        values={"coming": "yes", "members": members},
        complete=False,
        actor=actor,
    )


def family_member_remove(*, application: Application, index: int, actor: Any) -> Application:
    family = dict(application.answers.get(sections.FAMILY) or {})
    members = list(family.get("members", []))
    if 0 <= index < len(members):
        members.pop(index)
    return answers_save(
        application=application,
        section=sections.FAMILY,
        values={"coming": "yes" if members else family.get("coming", ""), "members": members},
        complete=False,
        actor=actor,
    )


def family_confirm(*, application: Application, coming: str, actor: Any) -> Application:
    """Finish the family section: nobody is coming, or the list is complete."""
    family = dict(application.answers.get(sections.FAMILY) or {})
    members = family.get("members", []) if coming == "yes" else []
    return answers_save(
        application=application,
        section=sections.FAMILY,
        values={"coming": coming, "members": members},
        complete=True,
        actor=actor,
    )


def document_add(
    *, application: Application, kind: str, uploaded: Any, actor: Any, replaces: Document | None = None
) -> Document:
    """Upload one page of a document through the document pipeline, for a draft application.

    The file becomes the next page of ``kind`` (or takes the place of ``replaces``); the
    pages of a kind are combined into one PDF after submission.
    """
    from applications.documents.services import document_upload

    if Application.objects.filter(pk=application.pk, state=State.DRAFT).count() == 0:
        raise NotEditable
    return document_upload(
        application=application,
        kind=kind,
        uploaded=uploaded,
        actor=actor,
        content_type=getattr(uploaded, "content_type", None),
        as_page=True,
        replaces=replaces,
    )


def document_delete(*, application: Application, document: Document, actor: Any) -> None:
    """Delete a document before submission (file included); audited."""
    with transaction.atomic():
        _locked_draft(application, None)
        if document.application_id != application.pk:
            raise NotEditable
        audit_record(
            actor=actor,
            action="document.deleted",
            obj=document,
            application=application,
            snapshot={"kind": document.kind, "sha256": document.sha256},
        )
        files = [getattr(document, name) for name in ("file", "sanitised_file", "thumbnail") if hasattr(document, name)]
        document.delete()
        # Remove the stored files only once the row is gone for good.
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f])


def submission_problems(application: Application) -> list[str]:
    """Slugs of the sections that stop the application from being submitted."""
    from applications.selectors import task_list

    return [
        item.section.slug
        for group in task_list(application)
        for item in group.items
        if item.status != sections.COMPLETED
    ]


def answers_digest(answers: dict) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def application_submit(*, application: Application, actor: Any, ip_address: str | None = None) -> Application:
    """Submit a draft: freeze the answers, stamp the criteria set, allocate the reference.

    Safe against double submission (two tabs, a double click): the row is locked first,
    so the second request waits, then finds the application already submitted and gets
    it back unchanged instead of a second reference or audit event.
    """
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.owner_id != getattr(actor, "pk", None):
            raise TransitionRefused(_("You are not allowed to do this."))
        if app.state != State.DRAFT:
            if app.reference:
                return app  # already submitted by the other request
            raise TransitionRefused(_("This application can no longer be submitted."))
        missing = submission_problems(app)
        if missing:
            raise SubmissionIncomplete(missing)
        criteria = published_set(app.product)
        reference = reference_allocate(product=app.product, year=timezone.localdate().year)
        # Score once the submission has committed (a worker, or in-process without a broker).
        enqueue_on_commit(application_score_task, app.pk)
        # The pages of each document are final now: combine them into one PDF each.
        document_pages_queue(app)
        # The score row exists from submission (empty until scored): queues join it.
        ApplicationScore.objects.get_or_create(application=app)
        return application_transition(
            application=app,
            action="submit",
            actor=actor,
            changes={"reference": reference, "criteria_set": criteria},
            snapshot={
                "reference": reference,
                "criteria_set": criteria.pk if criteria else None,
                "criteria_version": criteria.version if criteria else None,
                "answers_version": app.version,
                "answers_sha256": answers_digest(app.answers),
            },
            ip_address=ip_address,
        )


def application_reply(
    *, application: Application, actor: Any, text: str, files: list | None = None, ip_address: str | None = None
) -> Application:
    """Answer a request for information: optional uploads, then the "reply" transition.

    Uploads are checked (and refused with a reason) before the case moves on; one refused
    file leaves nothing stored and the case still waiting.
    """
    from applications.documents.services import document_upload

    if application.owner_id != getattr(actor, "pk", None) or application.state != State.AWAITING_APPLICANT:
        raise TransitionRefused(_("This application is not waiting for your reply."))
    with transaction.atomic():
        documents = [
            document_upload(
                application=application,
                kind=Document.Kind.OTHER,
                uploaded=uploaded,
                actor=actor,
                content_type=getattr(uploaded, "content_type", None),
            )
            for uploaded in files or []
        ]
        return application_transition(
            application=application,
            action="reply",
            actor=actor,
            reason=text,
            snapshot={"documents": [d.pk for d in documents]},
            ip_address=ip_address,
        )


def application_withdraw(*, application: Application, actor: Any, ip_address: str | None = None) -> Application:
    """Withdraw (the applicant's own decision); a new application may then be started."""
    return application_transition(
        application=application,
        action="withdraw",
        actor=actor,
        reason=_("Withdrawn by the applicant"),
        ip_address=ip_address,
    )


def _files_delete(files: list[Any]) -> None:
    """Remove stored files once the rows pointing at them are gone (after commit)."""
    for f in files:
        f.storage.delete(f.name)


def drafts_expiry_sweep(*, now=None) -> dict[str, int]:
    """Remind owners of drafts a week before they expire; delete drafts past expiry.

    A draft expires DRAFT_EXPIRY_DAYS after its last change (docs/applicant-journey.md).
    Reminders go through the notification outbox, one per draft version, so running the
    sweep twice never sends two.
    """
    now = now or timezone.now()
    expiry = timedelta(days=settings.DRAFT_EXPIRY_DAYS)
    remind_before = timedelta(days=settings.DRAFT_REMINDER_DAYS_BEFORE)
    drafts = Application.objects.filter(state=State.DRAFT)
    reminded = 0
    for app in drafts.filter(
        updated_at__lt=now - (expiry - remind_before), updated_at__gte=now - expiry
    ).select_related("owner"):
        expires_on = timezone.localdate(app.updated_at + expiry)
        with transaction.atomic():
            created = notification_create(
                recipient=app.owner,
                # The kind the notifications issue names (templates/emails/draft_expiring.*).
                kind="draft_expiring",
                event_key=f"draft-expiry-{app.pk}-v{app.version}",
                application=app,
                payload={"expires_on": expires_on.isoformat(), "product": app.product},
            )
        reminded += bool(created)
    expired = 0
    for app in drafts.filter(updated_at__lt=now - expiry):
        with transaction.atomic():
            locked = Application.objects.select_for_update().filter(pk=app.pk, state=State.DRAFT).first()
            if locked is None or locked.updated_at >= now - expiry:
                continue
            audit_record(actor=None, action="draft_expired", obj=locked, snapshot={"product": locked.product})
            documents = list(locked.documents.all())
            files = [
                getattr(d, name)
                for d in documents
                for name in ("file", "sanitised_file", "thumbnail")
                if hasattr(d, name) and getattr(d, name)
            ]
            locked.delete()
            transaction.on_commit(functools.partial(_files_delete, files))
        expired += 1
    return {"reminded": reminded, "expired": expired}
