"""Page guards for applicants: signed in, and with a verified e-mail address."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from portal.accounts.services import is_verified


def session_touch(request: HttpRequest) -> None:
    """Restart the inactivity clock (the session ends after APPLICANT_SESSION_IDLE_SECONDS idle)."""
    request.session.set_expiry(settings.APPLICANT_SESSION_IDLE_SECONDS)


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
