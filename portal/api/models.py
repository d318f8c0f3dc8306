"""API tokens (hashed at rest, scoped, revocable) and stored results of idempotent POSTs."""

import hashlib
import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "kp_"  # noqa: S105 - a public marker, not a secret  # nosec B105


def token_digest(raw: str) -> str:
    """SHA-256 of the raw token: a token has 256 random bits, so a fast hash is enough
    (no salt or slow KDF needed, unlike passwords) and lookups stay one indexed query."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The first characters of the token, kept in clear so owners can tell tokens apart.
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.scope}) for {self.user_id}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def allows_write(self) -> bool:
        return self.scope == self.Scope.WRITE


def new_token_value() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class IdempotencyRecord(models.Model):
    """The first successful response to a POST sent with an ``Idempotency-Key``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # "POST /api/v1/applications/12/submit/": a key is scoped to one user and one endpoint.
    endpoint = models.CharField(max_length=300)
    # SHA-256 of the request body: the same key with another body is a client error.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "endpoint"], name="idempotency_user_key_endpoint_unique")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} [{self.key}] → {self.status_code}"
