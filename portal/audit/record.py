"""Writing the audit trail. Every state change and staff read of personal data goes through here."""

from typing import Any

from django.db import models

from portal.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    application: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    snapshot: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event about ``obj`` (call inside the transaction of the change).

    Takes no lock: the row is inserted unsealed and the sealer chains it after commit.
    """
    if application is None and obj._meta.label_lower == "applications.application":
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
