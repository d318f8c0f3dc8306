from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal import privacy, roles
from portal.admin_access import PersonalDataAdmin
from portal.admin_lists import EstimatedCountPaginator, IndexedValuesFilter
from portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(PersonalDataAdmin):
    """The audit trail: auditors read it here, append-only (read-only for everyone), snapshots
    masked as for any reader who does not check identity, and every read audited."""

    extra_roles = (roles.AUDITOR,)
    list_display = ("created_at", "actor", "action", "object_type", "object_id", "from_state", "to_state", "seq")
    # The trail only grows: no full scan per page (portal/admin_lists.py). `action` and
    # `object_type` lead indexes, so their values are read by index probes.
    list_filter = (("action", IndexedValuesFilter), ("object_type", IndexedValuesFilter))
    paginator = EstimatedCountPaginator
    # Newest first, by the primary key (insertion order): the model's (created_at, id) order
    # has no index, and sorting a million rows per page is a scan. No column re-sorts the list.
    ordering = ("-id",)
    sortable_by = ()
    show_full_result_count = False
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
