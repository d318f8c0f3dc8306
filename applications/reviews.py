"""Administrative review of a refusal (issue 19): the applicant's request, the senior's
review and its outcome, and the route as the letter, the status page and the API show it.

The rules (who may review, until when one may ask, one review per refusal) are the
workflow's guards (applications/workflow.py); these functions validate, upload and call
the one transition function.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.casework.sla import add_working_days
from applications.documents.services import document_upload
from applications.models import AdministrativeReview, Application, Document
from applications.states import REVIEW_STATES, State
from applications.workflow import (
    TransitionRefused,
    application_transition,
    review_deadline,
    review_route_open,
)


@dataclass(frozen=True)
class ReviewRoute:
    """What the applicant may do about a refusal, and the latest review of the case."""

    may_request: bool  # the route is open now
    request_by: datetime | None  # the last moment to ask (None: no route for this refusal)
    review: AdministrativeReview | None

    @property
    def closed(self) -> bool:
        """A route existed and its period has ended."""
        return self.request_by is not None and not self.may_request


def review_route(application: Application, now: datetime | None = None) -> ReviewRoute:
    """The review route of a case: open with its deadline, closed, or under way."""
    deadline = review_deadline(application)
    latest = application.reviews.order_by("-requested_at", "-id").first()
    may = deadline is not None and (now or timezone.now()) <= deadline
    return ReviewRoute(may_request=may, request_by=deadline, review=latest)


def review_request(
    *,
    application: Application,
    actor: Any,
    grounds: str,
    files: list | None = None,
    ip_address: str | None = None,
) -> AdministrativeReview:
    """The refused applicant asks for a review, giving grounds and optional documents.

    Documents go through the document pipeline (checked, stored as "other" documents) and
    the request is refused before any upload when the route is closed.
    """
    if application.owner_id != getattr(actor, "pk", None) or application.state != State.REFUSED:
        raise TransitionRefused(_("This application cannot be reviewed."))
    if not grounds.strip():
        raise TransitionRefused(_("Give a reason."))
    review_route_open(application, actor, {})
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
        due = add_working_days(timezone.now(), settings.ADMIN_REVIEW_WORKING_DAYS)
        application_transition(
            application=application,
            action="review_request",
            actor=actor,
            reason=grounds.strip(),
            changes={"sla_due_at": due, "sla_escalated_at": None},
            snapshot={"documents": [d.pk for d in documents], "review_due": due.isoformat()},
            context={
                "review_documents": [d.pk for d in documents],
                # The e-mail states when the review is due.
                "notify_payload": {"review_due": due.isoformat()},
            },
            ip_address=ip_address,
        )
        return application.reviews.get(outcome=AdministrativeReview.Outcome.PENDING)


def review_start(*, application: Application | int, actor: Any, ip_address: str | None = None) -> Application:
    """A senior who took no part in the refusal takes up the review."""
    return application_transition(application=application, action="review_start", actor=actor, ip_address=ip_address)


def review_uphold(
    *, application: Application | int, actor: Any, reason: str, ip_address: str | None = None
) -> Application:
    """The reviewer upholds the refusal: the case stays refused, with a new letter."""
    return application_transition(
        application=application, action="review_uphold", actor=actor, reason=reason, ip_address=ip_address
    )


def review_overturn(
    *, application: Application | int, actor: Any, reason: str, ip_address: str | None = None
) -> Application:
    """The reviewer overturns the refusal: the case goes back to the queue for a new decision."""
    return application_transition(
        application=application, action="review_overturn", actor=actor, reason=reason, ip_address=ip_address
    )


def review_withdraw(*, application: Application | int, actor: Any, ip_address: str | None = None) -> Application:
    """The applicant withdraws the request: the refusal stands."""
    return application_transition(
        application=application,
        action="review_withdraw",
        actor=actor,
        reason=_("Review request withdrawn by the applicant"),
        ip_address=ip_address,
    )


def is_under_review(application: Application) -> bool:
    return application.state in REVIEW_STATES
