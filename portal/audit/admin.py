from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal import privacy, roles
from portal.admin_access import PersonalDataAdmin
from portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(PersonalDataAdmin):
    """The audit trail: auditors read it here, append-only (read-only for everyone), snapshots
    masked as for any reader who does not check identity, and every read audited."""

    extra_roles = (roles.AUDITOR,)
    list_display = ("created_at", "actor", "action", "object_type", "object_id", "from_state", "to_state", "seq")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "reason")
    # One query for the actors of a page, not one per row.
    list_select_related = ("actor",)
    fields = (
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "application",
        "from_state",
        "to_state",
        "reason",
        "snapshot_shown",
        "ip_address",
        "seq",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description=_("snapshot"))
    def snapshot_shown(self, obj: AuditEvent) -> dict:
        return privacy.answers_for(None, obj.snapshot)
