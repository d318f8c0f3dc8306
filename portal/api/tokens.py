"""Issuing and revoking API tokens (the raw value is shown once and never stored).

Staff tokens follow the web's second factor (docs/security.md, "API tokens of staff"): a
token is as good as a signed-in session, so a staff user's token is issued only when the
user has a confirmed TOTP device, only by an operator (``create_api_token``) or by a
session that passed the second factor, and lives at most ``API_STAFF_TOKEN_MAX_DAYS``.
Removing the user's authenticator or deactivating the user revokes their tokens
(``portal.api.signals``), and the authentication re-checks the rule on every request
(``staff_token_problem``), so a token issued before its user became staff stops working.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.api.models import ApiToken, new_token_value, token_digest
from portal.audit.record import audit_record

# Clock slack between computing ``expires_at`` and the row's ``created_at``.
_LIFETIME_SLACK = timedelta(minutes=1)


class TokenRefused(Exception):
    """The policy does not allow this token; ``message`` is translated, ``code`` stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def staff_token_max_lifetime() -> timedelta:
    return timedelta(days=settings.API_STAFF_TOKEN_MAX_DAYS)


def is_staff_token_user(user: Any) -> bool:
    from portal.twofactor import is_staff_member

    return is_staff_member(user)


def api_token_create(
    *, user: Any, scope: str = ApiToken.Scope.READ, name: str = "", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token (show it once).

    For staff users the token expires after ``API_STAFF_TOKEN_MAX_DAYS`` unless an earlier
    ``expires_at`` is given; a later one, or a staff user without a confirmed TOTP device,
    raises ``TokenRefused``. (Who may ask is the caller's check: an operator's command, or a
    session verified with the second factor, see ``portal.api.account``.)"""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    if is_staff_token_user(user):
        from portal.twofactor import has_confirmed_totp

        if not has_confirmed_totp(user):
            raise TokenRefused(
                "two_factor_required",
                _("Staff API tokens need two-factor sign-in: set up an authenticator app for this account first."),
            )
        latest = timezone.now() + staff_token_max_lifetime()
        if expires_at is None:
            expires_at = latest
        elif expires_at > latest:
            raise TokenRefused(
                "token_lifetime_too_long",
                _("Staff API tokens may live at most %(days)s days.") % {"days": settings.API_STAFF_TOKEN_MAX_DAYS},
            )
    raw = new_token_value()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, scope=scope, prefix=raw[:10], digest=token_digest(raw), expires_at=expires_at
        )
        audit_record(
            actor=user,
            action="api_token.create",
            obj=token,
            snapshot={"scope": scope, "prefix": raw[:10], "expires_at": expires_at.isoformat() if expires_at else None},
        )
    return token, raw


def staff_token_problem(token: ApiToken) -> str | None:
    """Why a staff user's token may not authenticate now, or None (also None for applicants)."""
    if not is_staff_token_user(token.user):
        return None
    from portal.twofactor import has_confirmed_totp

    if token.expires_at is None or token.expires_at - token.created_at > staff_token_max_lifetime() + _LIFETIME_SLACK:
        return _("This token was not issued under the staff token rules. Ask for a new one.")
    if not has_confirmed_totp(token.user):
        return _("Staff API tokens need two-factor sign-in: set up an authenticator app for this account first.")
    return None


def api_token_revoke(*, token: ApiToken, actor: Any, reason: str = "") -> ApiToken:
    """Revoke ``token`` now (idempotent): it stops authenticating at once."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            audit_record(
                actor=actor, action="api_token.revoke", obj=token, reason=reason, snapshot={"prefix": token.prefix}
            )
    token.refresh_from_db()
    return token


def api_tokens_revoke_all(*, user: Any, actor: Any, reason: str) -> int:
    """Revoke every active token of ``user`` (devices removed, account deactivated)."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        api_token_revoke(token=token, actor=actor, reason=reason)
    return len(tokens)
