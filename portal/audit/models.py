"""The audit trail: one row per state change, staff read of personal data, or admin change.

Append-only. A writer only inserts a row (``seq``, ``prev_hash`` and ``hash`` NULL: unsealed);
it takes no lock, so audit writes never serialise requests and tasks. The sealer
(portal/audit/seal.py) fills the three chain columns once, in order. The ORM refuses updates
and deletes; on PostgreSQL a trigger refuses them too (migration 0003), except the sealer's
one-time fill and the SET_NULL of the application link on erasure.

The table keeps its original name (``applications_auditevent``): the model moved here from
``applications`` without moving any data.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Chain columns: NULL until the sealer seals the row.
CHAIN_FIELDS = ("seq", "prev_hash", "hash")


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event through the ORM."""


# The sealer registers itself when portal.audit.seal loads (AuditConfig.ready imports it), so
# the model never imports the module that imports it.
_inline_sealer: list[Callable[..., Any]] = []


def register_inline_sealer(seal: Callable[..., Any]) -> None:
    _inline_sealer[:] = [seal]


def _seal_inline(using: str) -> None:
    for seal in _inline_sealer:
        seal(using=using)


def seal_after_commit(using: str) -> None:
    """Where no background sealer runs (SQLite, ``make run``), seal once the writer commits.

    At most one pending seal per transaction; ``robust`` so a sealing error never fails the
    write that triggered it (the next seal, or ``verify_audit``, catches up).
    """
    if not settings.AUDIT_SEAL_ON_COMMIT:
        return
    connection = connections[using]
    if any(getattr(fn, "func", None) is _seal_inline for _sids, fn, _robust in connection.run_on_commit):
        return
    transaction.on_commit(functools.partial(_seal_inline, using), using=using, robust=True)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The one change allowed: Django's SET_NULL when an erased application goes. The
        # application link is not part of the hash; object_type/object_id still name it.
        if kwargs.keys() == {"application"} and kwargs["application"] is None:
            return super().update(**kwargs)
        raise AuditTrailIsAppendOnly("audit events cannot be updated")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailIsAppendOnly("audit events cannot be updated")

    def update_or_create(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        # Plain bulk_create would let a caller pre-fill the chain columns: use bulk_append.
        raise AuditTrailIsAppendOnly("use AuditEvent.objects.bulk_append() (or audit_record) to add audit events")

    def bulk_append(self, objs, batch_size: int = 1000) -> list["AuditEvent"]:
        """Append many new (unsealed) events in list order (seed data, imports).

        Each event keeps its own ``created_at`` if set (historical seed data); the sealer
        chains them in id order, like any other row.
        """
        objs = list(objs)
        now = timezone.now()
        for event in objs:
            event._prepare_append(now)
        created = super().bulk_create(objs, batch_size=batch_size)
        seal_after_commit(self.db)
        return created


class AuditEvent(models.Model):
    # PROTECT: whoever acted stays named; staff accounts are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=50, db_index=True)
    # The object acted on, as "app_label.model" and its primary key (text, so any model fits).
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    # A lazy reference: this layer imports nothing from applications.
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("application"),
    )
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # What the decision was taken on (score, criteria version, answers digest...).
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Set once by the sealer: the position in the chain (1, 2, ...), the previous entry's
    # hash and this entry's keyed hash (portal/audit/chain.py).
    seq = models.BigIntegerField(_("chain position"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, null=True, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "applications_auditevent"
        ordering = ["created_at", "id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The sealer's work list stays small however long the trail grows.
            models.Index(fields=["id"], condition=Q(hash__isnull=True), name="audit_unsealed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        # No lock and no read of the chain head: the sealer chains the row after commit.
        self._prepare_append(timezone.now(), keep_time=False)
        super().save(*args, **kwargs)
        seal_after_commit(kwargs.get("using") or router.db_for_write(type(self), instance=self))

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")

    def _prepare_append(self, now, *, keep_time: bool = True) -> None:
        if not self._state.adding or self.pk is not None:
            raise AuditTrailIsAppendOnly("only new audit events can be appended")
        self.created_at = (self.created_at if keep_time else None) or now
        if self.ip_address:
            self.ip_address = self._meta.get_field("ip_address").to_python(self.ip_address)
        # Only the sealer fills the chain columns.
        self.seq = self.prev_hash = self.hash = None


class AuditVerification(models.Model):
    """One run of the audit-chain check (``portal.audit.verify.audit_verify``) requested from the
    auditor's verification page and run by a Celery task; its result is kept as a record of
    when the trail was last found intact (issue 16).

    Not an audit event (those are append-only and chained): requesting a run is audited.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Checking")
        INTACT = "intact", _("Intact")
        TAMPERED = "tampered", _("Problems found")
        FAILED = "failed", _("The check could not finish")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    checked = models.PositiveBigIntegerField(_("entries checked"), default=0)
    head_seq = models.BigIntegerField(_("last chain position"), null=True, blank=True)
    pending = models.PositiveBigIntegerField(_("entries not sealed yet"), default=0)
    oldest_pending_at = models.DateTimeField(_("oldest entry not sealed yet"), null=True, blank=True)
    checkpoint_seq = models.BigIntegerField(_("last checkpoint position"), null=True, blank=True)
    # [{"event": id or null, "kind": code, "problem": the checker's own words}], at most PROBLEM_LIMIT.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("audit verification")
        verbose_name_plural = _("audit verifications")

    def __str__(self) -> str:
        return f"audit verification {self.pk} ({self.status})"
