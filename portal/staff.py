"""Which staff pages a person may open: the one owner of the staff links (issue 16).

The header, the staff home page and the views that check these rules (the quota page) all
ask here, so a link is shown exactly when its page opens. Links are URL names, reversed
when shown: this module imports nothing above ``portal``.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import roles

# Who may open the quota page (used / remaining / waiting, allocation rounds): seniors decide
# on places, criteria admins release them, auditors read them. Caseworkers do not.
QUOTA_ROLES = frozenset({roles.SENIOR_CASEWORKER, roles.CRITERIA_ADMIN, roles.AUDITOR})


@dataclass(frozen=True)
class StaffLink:
    key: str
    label: Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


HOME = StaffLink("home", _("Staff home"), "staff:home")
QUEUE = StaffLink("queue", _("Case queue"), "casework:queue")
QUOTAS = StaffLink("quotas", _("Quotas"), "casework:quotas")
CRITERIA = StaffLink("criteria", _("Criteria sets"), "admin:eligibility_criteriaset_changelist")
RATING_PROPOSALS = StaffLink("rating_proposals", _("Rating proposals"), "labour_market:proposals")
FORECASTS = StaffLink("forecasts", _("Forecasts"), "forecasts:list")
QUOTA_PROPOSALS = StaffLink("quota_proposals", _("Quota proposals"), "labour_market:quota_proposals")
EMPLOYERS = StaffLink("employers", _("Employers to verify"), "employers:verification_list")
CASE_SEARCH = StaffLink("case_search", _("Case search"), "staff:case_search")
AUDIT_VERIFY = StaffLink("audit_verify", _("Audit verification"), "audit:verify")
AUDIT_EXPORT = StaffLink("audit_export", _("Export the audit trail"), "audit:export")
AUDIT_TRAIL = StaffLink("audit_trail", _("Audit trail"), "admin:audit_auditevent_changelist")
ANALYTICS = StaffLink("analytics", _("Analytics"), "analytics:overview")


def is_staff_member(user: Any) -> bool:
    """Holds a staff role (caseworker, senior, criteria admin, auditor, analyst)."""
    return roles.has_role(user, *roles.STAFF_ROLES)


def may_open_quotas(user: Any) -> bool:
    """The quota page's gate, and whether its link is shown."""
    return roles.has_role(user, *QUOTA_ROLES)


def may_work_cases(user: Any) -> bool:
    """The queue page's role rule (membership of queues is applications.casework.queues')."""
    return roles.has_role(user, *roles.CASEWORK_ROLES)


def may_audit(user: Any) -> bool:
    """The auditor's pages: case search, audit-chain verification, audit-trail export."""
    return roles.has_role(user, roles.AUDITOR)


def may_view_analytics(user: Any) -> bool:
    """The analytics dashboards (aggregates only): analysts, criteria admins and auditors."""
    return roles.has_role(user, *roles.ANALYTICS_ROLES)


def may_edit_criteria(user: Any) -> bool:
    return roles.has_role(user, roles.CRITERIA_ADMIN)


def staff_links(user: Any) -> list[StaffLink]:
    """The staff pages this user gets in the header, in order; empty for non-staff."""
    if not is_staff_member(user):
        return []
    links = [HOME]
    if may_work_cases(user):
        links.append(QUEUE)
    if may_audit(user):
        links += [CASE_SEARCH, AUDIT_VERIFY, AUDIT_EXPORT, AUDIT_TRAIL]
    if may_edit_criteria(user):
        links += [CRITERIA, RATING_PROPOSALS, QUOTA_PROPOSALS, EMPLOYERS]
    if may_open_quotas(user):
        links.append(QUOTAS)
    if may_view_analytics(user):
        links += [ANALYTICS, FORECASTS]
    return links
