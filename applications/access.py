"""Access gates: who may see or change an application. An object one cannot see does not exist (404)."""

from django.http import Http404

from applications.models import Application
from applications.states import State
from portal import roles

# States in which the owner may still change answers and documents.
OWNER_WRITABLE_STATES = frozenset({State.DRAFT})


def staff_can_see(user, application: Application) -> bool:
    """Auditors see every submitted case; caseworkers and seniors only those in their queues."""
    from applications.queues import in_queue

    if application.state == State.DRAFT:
        return False
    if roles.has_role(user, roles.AUDITOR):
        return True
    return roles.has_role(user, *roles.CASEWORK_ROLES) and in_queue(user, application)


def application_for(user, pk: int, *, write: bool = False) -> Application:
    """The application ``pk`` if ``user`` may see it (and change it, with ``write``); else 404."""
    if user is None or not user.is_authenticated:
        raise Http404
    application = Application.objects.select_related("owner", "region", "criteria_set").filter(pk=pk).first()
    if application is None:
        raise Http404
    if application.owner_id == user.pk:
        if write and application.state not in OWNER_WRITABLE_STATES:
            raise Http404
        return application
    if not write and staff_can_see(user, application):
        return application
    raise Http404
