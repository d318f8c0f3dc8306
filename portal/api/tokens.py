"""Issuing and revoking API tokens (the raw value is shown once and never stored)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from applications.audit import audit_record
from portal.api.models import ApiToken, new_token_value, token_digest


def api_token_create(
    *, user: Any, scope: str = ApiToken.Scope.READ, name: str = "", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token (show it once)."""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    raw = new_token_value()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, scope=scope, prefix=raw[:10], digest=token_digest(raw), expires_at=expires_at
        )
        audit_record(actor=user, action="api_token.create", obj=token, snapshot={"scope": scope, "prefix": raw[:10]})
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke ``token`` now (idempotent): it stops authenticating at once."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            audit_record(actor=actor, action="api_token.revoke", obj=token, snapshot={"prefix": token.prefix})
    token.refresh_from_db()
    return token
