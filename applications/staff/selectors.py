"""What the staff home page shows each role (reads only).

Which links a person gets is ``portal.staff``'s rule; this module fills the home page's
sections for the roles that rule grants: a caseworker's queues and claimed cases, a senior's
cases waiting for a second review, a criteria admin's drafts and impact reports.
"""

from typing import Any

from django.db.models import Q, QuerySet

from applications.casework.queues import cases_in_queues, queues_of
from applications.models import Application
from applications.states import UNDECIDED_STATES, State
from eligibility.models import CriteriaSet, ImpactReport
from portal import roles, staff
from portal.audit.models import AuditVerification

# A home page is a starting point, not a list: each section shows this many rows and links on.
HOME_ROWS = 20


def claimed_cases(user: Any) -> QuerySet[Application]:
    """Cases the user holds that wait on someone (not decided, withdrawn or issued)."""
    return (
        Application.objects.filter(claimed_by=user, state__in=UNDECIDED_STATES)
        .select_related("scoring")
        .order_by("priority", "submitted_at", "pk")
    )


def second_review_cases(user: Any) -> QuerySet[Application]:
    """Recommended cases in the queues where the user is a senior, oldest deadline first."""
    return (
        cases_in_queues(user, senior=True)
        .filter(state=State.RECOMMENDED)
        .select_related("scoring")
        .order_by("sla_due_at", "pk")
    )


def criteria_drafts() -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(status=CriteriaSet.Status.DRAFT).order_by("product", "-version")


def impact_reports() -> QuerySet[ImpactReport]:
    return ImpactReport.objects.select_related("criteria_set").order_by("-created_at")


def staff_home(user: Any) -> dict:
    """The home page's context: one entry per section the user's roles open, else None."""
    home: dict[str, Any] = {"links": staff.staff_links(user)}
    home["queues"] = queues_of(user) if staff.may_work_cases(user) else None
    home["claimed"] = list(claimed_cases(user)[:HOME_ROWS]) if staff.may_work_cases(user) else None
    is_senior = roles.has_role(user, roles.SENIOR_CASEWORKER)
    home["second_review"] = list(second_review_cases(user)[:HOME_ROWS]) if is_senior else None
    if staff.may_edit_criteria(user):
        home["drafts"] = list(criteria_drafts()[:HOME_ROWS])
        home["impact_reports"] = list(impact_reports()[:10])
    else:
        home["drafts"] = home["impact_reports"] = None
    home["may_view_analytics"] = staff.may_view_analytics(user)
    home["is_auditor"] = staff.may_audit(user)
    home["latest_verification"] = AuditVerification.objects.first() if home["is_auditor"] else None
    return home


# The case search lists at most this many cases; a narrower query finds the rest.
SEARCH_ROWS = 50


def case_search(query: str) -> list[Application]:
    """Cases (never drafts) by exact reference or by part of the applicant's name, newest first.

    No search by passport number: the auditor sees passport numbers masked (docs/privacy.md),
    and a search that answers "is there a case with this number" would unmask them.
    """
    query = query.strip()
    if not query:
        return []
    matches = Application.objects.exclude(state=State.DRAFT).filter(
        Q(reference=query.upper()) | Q(applicant_name__icontains=query)
    )
    return list(matches.order_by("-submitted_at", "-pk")[:SEARCH_ROWS])
