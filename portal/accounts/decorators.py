"""Page guards for applicants: signed in, and with a verified e-mail address."""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from portal.accounts.services import is_verified

# Restart the clock at most this often (and at most every 1/60 of the idle time): each
# restart rewrites the session row (an UPDATE and a commit), which would otherwise cost
# every applicant page a database write. The session may so end up to 30 s of 30 min early.
SESSION_TOUCH_EVERY_SECONDS = 30


def session_touch(request: HttpRequest, *, force: bool = False) -> None:
    """Restart the inactivity clock (the session ends after APPLICANT_SESSION_IDLE_SECONDS idle).

    The end is stored as a time (not "seconds after the last save"), so pages can tell the
    session-timeout warning exactly how long is left even when the row was not rewritten.
    """
    session = request.session
    idle = settings.APPLICANT_SESSION_IDLE_SECONDS
    ends = timezone.now() + timedelta(seconds=idle)
    stored = session.get("_session_expiry")
    if not force and isinstance(stored, str):
        try:
            gained = (ends - datetime.fromisoformat(stored)).total_seconds()
            # (A stored end later than a fresh one means the idle setting was shortened: reset.)
            if 0 <= gained < min(SESSION_TOUCH_EVERY_SECONDS, idle / 60):
                return
        except ValueError:
            pass
    session.set_expiry(ends)


def verified_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users with a verified address only; others go to sign in or to "verify"."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_verified(request.user):
            return redirect("accounts:verify_pending")
        session_touch(request)
        return view(request, *args, **kwargs)

    return wrapper
