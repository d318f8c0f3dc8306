"""Writing the audit trail. Every state change and staff view of a document goes through here."""

from typing import Any

from django.db import models

from applications.models import Application, AuditEvent

# The client address is portal.client's rule (trusted proxies); kept importable from here.
from portal.client import client_ip  # noqa: F401


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    application: Application | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    snapshot: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event about ``obj`` (call inside the transaction of the change)."""
    if application is None and isinstance(obj, Application):
        application = obj
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        application=application,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        snapshot=snapshot or {},
        ip_address=ip_address,
    )
