"""Application states (the workflow table lives in applications/workflow.py)."""

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
    }
)
ENDED_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.ISSUED})
# A decision has been taken (the decision letter exists).
DECIDED_STATES = frozenset({State.APPROVED, State.REFUSED, State.ISSUED})
