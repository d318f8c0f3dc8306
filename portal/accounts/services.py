"""Account writes: sign-up, e-mail verification, e-mails in the user's own language."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.tokens import verification_token, verification_user_id

logger = logging.getLogger(__name__)


class VerificationFailed(Exception):
    """The link is damaged, forged, for another address, or too old (``expired``)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def user_language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def account_email_send(*, user, template: str, context: dict) -> None:
    """Render ``templates/emails/<template>.*`` in the user's language and send it now.

    Account e-mails are sent at once (not through the outbox): the person is waiting for
    the link, and can ask for another one if it does not arrive.
    """
    with translation.override(user_language(user)):
        full = {"user": user, **context}
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", full).split())
        body = render_to_string(f"emails/{template}.txt", full)
        try:
            html = render_to_string(f"emails/{template}.html", full)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else f"{settings.PORTAL_BASE_URL}{path}"


def email_verification_send(*, user, request=None) -> None:
    """E-mail the user a signed link that verifies their address (valid for a limited time)."""
    link = absolute(request, reverse("accounts:verify", args=[verification_token(user)]))
    days = max(1, settings.EMAIL_VERIFICATION_MAX_AGE // 86400)
    account_email_send(user=user, template="verify_email", context={"link": link, "days": days})


def user_sign_up(*, email: str, password: str, preferred_language: str, request=None):
    """Create an unverified account and send the verification e-mail.

    If the address already has an account, nothing is created and that account's owner
    gets an e-mail saying so: the page shown is the same either way, so sign-up never
    reveals which addresses are registered. Returns the new user, or None.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        link = absolute(request, reverse("password_reset"))
        account_email_send(user=existing, template="account_exists", context={"reset_link": link})
        return None
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, preferred_language=preferred_language)
        _add_applicant_group(user)
    email_verification_send(user=user, request=request)
    return user


def _add_applicant_group(user) -> None:
    from django.contrib.auth.models import Group

    from portal import roles

    group = Group.objects.filter(name=roles.APPLICANT).first()
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
