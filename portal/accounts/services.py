"""Account writes: sign-up, e-mail verification, e-mails in the user's own language."""

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.tokens import verification_token, verification_user_id
from portal.client import client_ip
from portal.ratelimit import RateLimitUnavailable, rate_limit_hit
from portal.security_log import security_event

logger = logging.getLogger(__name__)


class VerificationFailed(Exception):
    """The link is damaged, forged, for another address, or too old (``expired``)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def user_language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def account_email_allowed(*, to: str, request=None) -> bool:
    """Count one account e-mail to ``to`` asked for by this client; False when either is over its limit.

    Sign-up, verification and reset e-mails go to any address typed into a public form, so
    without a limit the portal could be made to flood someone's mailbox (issue 13). Both
    counters are always counted, whatever the outcome, so the work (and time) per request
    does not depend on which limit was hit. If the cache cannot count, nothing is sent:
    the person can ask again later, and the page says the same either way.
    """
    address = hashlib.sha256(to.strip().lower().encode()).hexdigest()  # no addresses in cache keys
    try:
        over_address = rate_limit_hit(
            key=f"account-email:to:{address}", limit=settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR, window=3600
        )
        over_client = rate_limit_hit(
            key=f"account-email:from:{client_ip(request) or 'unknown'}",
            limit=settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR,
            window=3600,
        )
    except RateLimitUnavailable:  # the cache cannot count: fail closed, politely
        security_event("account_email_limit_unavailable", request=request, level=logging.WARNING)
        return False
    if over_address or over_client:
        security_event(
            "account_email_limited",
            request=request,
            level=logging.WARNING,
            recipient=address[:16],
            by_address=over_address,
            by_client=over_client,
        )
        return False
    return True


def account_email_send(*, to: str, language: str, template: str, context: dict, request=None) -> bool:
    """Render ``templates/emails/<template>.*`` in ``language`` and send it now, within the limits.

    The one path for every account e-mail (verification, "you already have an account",
    password reset, "no account with this address"), so all of them share the limits of
    ``account_email_allowed`` and take the same time. Account e-mails are sent at once (not
    through the outbox): the person is waiting for the link, and can ask for another one if
    it does not arrive. Returns whether the e-mail was sent.
    """
    if not account_email_allowed(to=to, request=request):
        return False
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return True


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else f"{settings.PORTAL_BASE_URL}{path}"


def email_verification_send(*, user, request=None) -> None:
    """E-mail the user a signed link that verifies their address (valid for a limited time)."""
    link = absolute(request, reverse("accounts:verify", args=[verification_token(user)]))
    days = max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 86400)
    account_email_send(
        to=user.email,
        language=user_language(user),
        template="verify_email",
        context={"user": user, "link": link, "days": days},
        request=request,
    )


def user_sign_up(
    *,
    email: str,
    password: str,
    preferred_language: str,
    request=None,
    role: str = "",
    on_created: Callable[[Any], None] | None = None,
):
    """Create an unverified account and send the verification e-mail.

    If the address already has an account, nothing is created and that account's owner
    gets an e-mail saying so: the page shown is the same either way, so sign-up never
    reveals which addresses are registered. Both branches hash the password and send one
    e-mail through the same path, so they also take the same time (issue 13: the hasher
    alone made a new address 10x slower to answer). ``role`` is the account's role group
    (the applicant's unless another sign-up, e.g. the employers', names one); ``on_created``
    runs with the new user in the same transaction (the employer's organisation). Returns the
    new user, or None.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the work create_user does, result unused: equal timing
        link = absolute(request, reverse("password_reset"))
        account_email_send(
            to=existing.email,
            language=user_language(existing),
            template="account_exists",
            context={"user": existing, "reset_link": link},
            request=request,
        )
        return None
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, preferred_language=preferred_language)
        _add_role_group(user, role)
        if on_created is not None:
            on_created(user)
    email_verification_send(user=user, request=request)
    return user


def _add_role_group(user, role: str) -> None:
    from django.contrib.auth.models import Group

    from portal import roles

    group = Group.objects.filter(name=role or roles.APPLICANT).first()
    if group is not None:
        user.groups.add(group)


def email_verify(*, token: str):
    """Mark the address in ``token`` verified; returns the user. Raises VerificationFailed."""
    try:
        user_id, email = verification_user_id(token)
    except signing.SignatureExpired as exc:
        raise VerificationFailed(expired=True) from exc
    except signing.BadSignature as exc:
        raise VerificationFailed(expired=False) from exc
    User = get_user_model()
    user = User.objects.filter(pk=user_id, email__iexact=email, is_active=True).first()
    if user is None:
        raise VerificationFailed(expired=False)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def is_verified(user) -> bool:
    return bool(getattr(user, "email_verified_at", None))
