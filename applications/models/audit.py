"""The case audit trail: one row per state change, staff document view, or admin change.

Append-only: rows are only ever inserted (through save() of a new row), chained by hash
(applications/audit_chain.py); the ORM refuses updates and deletes, and the admin is
read-only. ``manage.py verify_audit`` detects changes made behind the ORM's back.
"""

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import audit_chain

# Key of the PostgreSQL advisory lock serialising appends, so two transactions never
# chain onto the same previous entry.
AUDIT_CHAIN_LOCK_KEY = 7_310_001


def _chain_lock(using: str) -> None:
    """Serialise appends (PostgreSQL advisory lock, held to the end of the transaction: the
    next writer reads the chain head only once this one's rows are committed)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK_KEY])


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event through the ORM."""


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

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(), hence the chain: use bulk_append.
        raise AuditTrailIsAppendOnly("use AuditEvent.objects.bulk_append() (or audit_record) to add audit events")

    def bulk_append(self, objs, batch_size: int = 1000) -> list["AuditEvent"]:
        """Append many new events in list order, chained, under the chain lock (seed data, imports).

        Each event keeps its own ``created_at`` if set (historical seed data); the chain
        follows insertion (id) order.
        """
        objs = list(objs)
        using = self.db
        with transaction.atomic(using=using):
            _chain_lock(using)
            head = self.model.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
            prev = head if head is not None else audit_chain.GENESIS
            now = timezone.now()
            for event in objs:
                if event.pk is not None:
                    raise AuditTrailIsAppendOnly("only new audit events can be appended")
                event.created_at = event.created_at or now
                if event.ip_address:
                    event.ip_address = event._meta.get_field("ip_address").to_python(event.ip_address)
                event.prev_hash = prev
                event.hash = prev = audit_chain.entry_hash(audit_chain.values_of(event), prev)
            return super().bulk_create(objs, batch_size=batch_size)

    def update_or_create(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events cannot be updated")


class AuditEvent(models.Model):
    # PROTECT: whoever acted stays named; staff accounts are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=50, db_index=True)
    # The object acted on, as "app_label.model" and its primary key (text, so any model fits).
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
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
    # Set under the chain lock in save(), so time order is chain order.
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, editable=False, default="")
    hash = models.CharField(_("hash"), max_length=64, editable=False, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise AuditTrailIsAppendOnly("audit events cannot be changed once written")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            _chain_lock(using)
            head = AuditEvent.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
            self.prev_hash = head if head is not None else audit_chain.GENESIS
            self.created_at = timezone.now()
            if self.ip_address:
                self.ip_address = self._meta.get_field("ip_address").to_python(self.ip_address)
            self.hash = audit_chain.entry_hash(audit_chain.values_of(self), self.prev_hash)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")
