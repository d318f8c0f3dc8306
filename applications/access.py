"""Access gates: who may see or change an application. An object one cannot see does not exist (404)."""

from django.http import Http404

from applications.casework.queues import in_queue
from applications.models import Application
from applications.states import State
from portal import roles

# States in which the owner may still change answers and documents.
OWNER_WRITABLE_STATES = frozenset({State.DRAFT})


def staff_can_see(user, application: Application) -> bool:
    """Auditors see every submitted case; caseworkers and seniors only those in their queues."""
    if application.state == State.DRAFT:
        return False
    if roles.has_role(user, roles.AUDITOR):
        return True
    return in_queue(user, application)


def application_for(user, pk: int, *, write: bool = False, request=None) -> Application:
    """The application ``pk`` if ``user`` may see it (and change it, with ``write``); else 404.

    A refusal on an application that exists goes to the security log (``request`` adds the
    client address and path to that record).
    """
    if user is None or not user.is_authenticated:
        raise Http404
    application = Application.objects.select_related("owner", "region", "criteria_set", "scoring").filter(pk=pk).first()
    if application is None:
        raise Http404
    if application.owner_id == user.pk:
        if write and application.state not in OWNER_WRITABLE_STATES:
            raise _refused(user, application, "owner_write_after_draft", request)
        return application
    if not write and staff_can_see(user, application):
        return application
    raise _refused(user, application, "write_by_non_owner" if write else "not_owner_or_staff", request)


def _refused(user, application: Application, reason: str, request) -> Http404:
    from portal.security_log import access_refused

    access_refused(user=user, obj=application, reason=reason, request=request)
    return Http404()
