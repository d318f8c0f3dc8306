from django.contrib import admin

from portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_id", "from_state", "to_state", "seq")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "reason")
    # One query for the actors of a page, not one per row.
    list_select_related = ("actor",)

    # The audit trail is append-only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
