"""Two-factor sign-in for staff (django-otp): who needs it, enrolment, verification.

Every user holding a staff role (or the is_staff / is_superuser flags) must confirm a TOTP
device and prove it in each session before any page but sign-in, sign-out and the
two-factor pages themselves. Recovery codes are a django-otp static device, shown once.
"""

import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.notifications import notification_create
from portal import roles
from portal.security_log import security_event

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
SESSION_LAST_SEEN = "staff_last_seen"
SESSION_NEW_RECOVERY_CODES = "new_recovery_codes"


def is_staff_member(user) -> bool:
    """Anyone who can see other people's cases or change configuration."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or roles.has_role(user, *roles.STAFF_ROLES))


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_for_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed authenticator device (a new secret each enrolment)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def may_change_second_factor(user) -> bool:
    """Whether this session may enrol an authenticator or replace the recovery codes.

    The first authenticator is enrolled right after the password (there is no other factor
    yet). Once one is confirmed, only a session that proved it (or a recovery code) may
    change anything: a password alone must not let anyone put their own phone on a staff
    account or void the owner's recovery codes (issue 13). An owner who lost every factor
    asks an administrator to remove the old device, which makes the next enrolment a first one.
    """
    return not has_confirmed_totp(user) or bool(user.is_verified())


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def totp_enrolment_confirm(*, request: HttpRequest, device: TOTPDevice) -> list[str]:
    """Confirm ``device`` (its code was checked), replacing any older authenticator.

    Issues new recovery codes, marks the session verified, records the change in the
    security log and tells the user by e-mail and in the inbox. Returns the recovery codes
    (shown once). Callers check ``may_change_second_factor`` first.
    """
    user = request.user
    if not may_change_second_factor(user):
        raise PermissionError("an authenticator is replaced only from a verified session")
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        change = CHANGE_AUTHENTICATOR_REPLACED if replaced.exists() else CHANGE_AUTHENTICATOR_ADDED
        replaced.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        second_factor_changed(user=user, change=change, request=request)
    django_otp.login(request, device)
    return codes


def recovery_codes_issue(*, request: HttpRequest) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (shown only once).

    Only from a session verified with the second factor (``may_change_second_factor``).
    """
    user = request.user
    if not user.is_verified():
        raise PermissionError("recovery codes are replaced only from a verified session")
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        second_factor_changed(user=user, change=CHANGE_RECOVERY_CODES_REPLACED, request=request)
    return codes


# What changed about a user's second factor: the security log's and the e-mail's word for it.
CHANGE_AUTHENTICATOR_ADDED = "authenticator_added"
CHANGE_AUTHENTICATOR_REPLACED = "authenticator_replaced"
CHANGE_AUTHENTICATOR_REMOVED = "authenticator_removed"
CHANGE_RECOVERY_CODES_REPLACED = "recovery_codes_replaced"
SECOND_FACTOR_CHANGES = (
    CHANGE_AUTHENTICATOR_ADDED,
    CHANGE_AUTHENTICATOR_REPLACED,
    CHANGE_AUTHENTICATOR_REMOVED,
    CHANGE_RECOVERY_CODES_REPLACED,
)


def second_factor_changed(*, user, change: str, request: HttpRequest | None = None, actor=None) -> None:
    """Record a change to the user's second factor and tell them (e-mail and inbox, their language).

    Call inside the transaction of the change: the notification rows commit with it and
    the e-mail goes out after commit (applications.notifications, the outbox). ``actor`` is
    who made the change when it is not the user (an administrator removing a device).
    """
    if change not in SECOND_FACTOR_CHANGES:
        raise ValueError(f"unknown second-factor change {change!r}")
    actor_id = getattr(actor, "pk", None) or user.pk
    security_event("second_factor_changed", request=request, user_id=user.pk, actor_id=actor_id, change=change)
    notification_create(
        recipient=user,
        kind="second_factor_changed",
        event_key=uuid.uuid4().hex,
        payload={"change": change, "at": timezone.now().isoformat(), "by_administrator": actor_id != user.pk},
    )


def token_verify(user, token: str):
    """The confirmed device (authenticator first, then recovery codes) accepting ``token``, or None.

    Each device verifies under its own row lock and throttling (django_otp.verify_token);
    a recovery code is consumed by its use.
    """
    token = "".join(token.split())
    if not token:
        return None
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            matched = django_otp.verify_token(user, device.persistent_id, token)
            if matched is not None:
                return matched
    return None


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("twofactor:setup"),
        reverse("twofactor:verify"),
        reverse("logout"),
        reverse("admin:logout"),
        reverse("set_language"),
        reverse("healthz"),
        settings.STATIC_URL,
    )


class StaffOTPRequiredMiddleware:
    """Send staff who have not proved their second factor this session to enrol or verify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if is_staff_member(user) and not user.is_verified() and not request.path.startswith(_exempt_prefixes()):
            if request.path.startswith("/api/"):
                from portal.api.errors import error_body

                body = error_body("two_factor_required", _("Two-factor verification is required."))
                return JsonResponse(body, status=403)
            target = "twofactor:verify" if has_confirmed_totp(user) else "twofactor:setup"
            return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="staff_session_started")
def _staff_session_started(sender, request, user, **kwargs) -> None:
    # Start the idle clock at sign-in, so the first page does not write the session.
    if request is not None and hasattr(request, "session") and is_staff_member(user):
        request.session[SESSION_LAST_SEEN] = time.time()


class StaffSessionIdleMiddleware:
    """End a staff session after STAFF_SESSION_IDLE_SECONDS without a request."""

    # Write the last-seen time at most this often, so not every request saves the session.
    TOUCH_EVERY_SECONDS = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if is_staff_member(user):
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS:
                security_event(
                    "staff_session_expired", request=request, user_id=user.pk, idle_seconds=int(now - last_seen)
                )
                logout(request)
                messages.info(request, _("You were signed out because you were inactive. Sign in again to continue."))
                return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            if last_seen is None or now - last_seen > self.TOUCH_EVERY_SECONDS:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)
