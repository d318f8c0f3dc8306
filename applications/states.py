"""Application states and their named groups, one name each (the workflow table lives in
applications/workflow.py). Every module imports these; none restates a set of states
(tests/test_architecture.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_APPLICANT = "awaiting_applicant", _("Waiting for your reply")
    RECOMMENDED = "recommended", _("Decision recommended")
    # Approval confirmed but no quota place left: waits on the ranked list for an allocation round.
    WAITLISTED = "waitlisted", _("Waiting for a quota place")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    # Administrative review of a refusal (issue 19): asked for by the applicant, then taken up
    # by a senior who had no part in the refusal.
    REVIEW_REQUESTED = "review_requested", _("Review of the refusal requested")
    UNDER_REVIEW = "under_review", _("Refusal under review")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ISSUED = "issued", _("Card issued")


OPEN_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.AWAITING_APPLICANT,
        State.RECOMMENDED,
        State.WAITLISTED,
        State.APPROVED,
        State.REVIEW_REQUESTED,
        State.UNDER_REVIEW,
    }
)
ENDED_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.ISSUED})
# Submitted and not yet decided: the pool a criteria set ranks (impact preview, rescoring).
UNDECIDED_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW, State.AWAITING_APPLICANT, State.RECOMMENDED})
# The refusal is being reviewed (administrative review): the applicant may withdraw the request.
REVIEW_STATES = frozenset({State.REVIEW_REQUESTED, State.UNDER_REVIEW})
# A final decision was taken (the decision letter and its reason exist).
DECIDED_STATES = frozenset({State.APPROVED, State.REFUSED, State.ISSUED})
# Approved, whether or not the card is issued yet.
GRANTED_STATES = frozenset({State.APPROVED, State.ISSUED})
# A caseworker may claim the case (and start or continue its review).
CLAIMABLE_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW})
# A senior may hand the case to another caseworker of its queue.
REASSIGNABLE_STATES = CLAIMABLE_STATES | {State.AWAITING_APPLICANT}
# The SLA clock runs: the case waits on the portal's staff, not on the applicant or a quota.
# A review of a refusal has its own target (ADMIN_REVIEW_WORKING_DAYS), on the same clock.
SLA_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED}) | REVIEW_STATES
# The queue page's default list: everything a caseworker or senior may still act on.
WORKLIST_STATES = (
    frozenset({State.SUBMITTED, State.IN_REVIEW, State.AWAITING_APPLICANT, State.RECOMMENDED, State.WAITLISTED})
    | REVIEW_STATES
)
# The applicant may withdraw: any open state before the approval.
# (A review request is withdrawn with its own action: the case then stays refused.)
WITHDRAWABLE_STATES = OPEN_STATES - {State.APPROVED} - REVIEW_STATES
# The applicant may erase the application and its documents (privacy, docs/privacy.md).
ERASABLE_STATES = frozenset({State.DRAFT, State.WITHDRAWN})
