"""Permission classes: token scope and roles. Object access goes through the access gates (404)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal import roles
from portal.api.models import ApiToken


class TokenScope(BasePermission):
    """A read-scoped token may only read; session users and write tokens may also write."""

    message = _("This token is read-only.")
    code = "insufficient_scope"

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiToken) and request.method not in SAFE_METHODS:
            return request.auth.allows_write
        return True


class _HasRole(BasePermission):
    role_names: tuple[str, ...] = ()
    message = _("Your role does not allow this.")
    code = "role_required"

    def has_permission(self, request, view) -> bool:
        return roles.has_role(request.user, *self.role_names)


class IsApplicant(_HasRole):
    role_names = (roles.APPLICANT,)


class IsCaseworker(_HasRole):
    role_names = (roles.CASEWORKER, roles.SENIOR_CASEWORKER)


class IsSenior(_HasRole):
    role_names = (roles.SENIOR_CASEWORKER,)


class IsCaseReader(_HasRole):
    """Case readers: caseworkers and seniors (their queues) and auditors (read only)."""

    role_names = (roles.CASEWORKER, roles.SENIOR_CASEWORKER, roles.AUDITOR)


class IsCriteriaAdmin(_HasRole):
    role_names = (roles.CRITERIA_ADMIN,)


class IsStaffReader(_HasRole):
    """Configuration readers: criteria admins, caseworkers and auditors."""

    role_names = (roles.CRITERIA_ADMIN, roles.CASEWORKER, roles.SENIOR_CASEWORKER, roles.AUDITOR)


class IsVerified(BasePermission):
    """Applicants act only once their e-mail address is verified (as on the web pages)."""

    message = _("Verify your e-mail address first.")
    code = "email_not_verified"

    def has_permission(self, request, view) -> bool:
        from portal.accounts.services import is_verified

        return is_verified(request.user)
