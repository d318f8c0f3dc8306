from django.contrib import admin

from applications.models import Application, Document, Notification


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "product", "state", "applicant_name", "region", "score", "submitted_at")
    list_filter = ("product", "state", "sector", "region")
    search_fields = ("reference", "applicant_name", "owner__email")
    list_select_related = ("region", "scoring")
    raw_id_fields = ("owner", "claimed_by", "criteria_set")
    # State changes only through the workflow: the admin shows state, never edits it.
    readonly_fields = ("state", "reference", "submitted_at", "decided_at", "score", "passes", "version")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "application", "kind", "status", "size", "created_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("application",)
    exclude = ("file",)
    readonly_fields = ("sha256", "size", "detected_type", "status", "rejection_code", "original_name")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "channel", "status", "attempts")
    list_filter = ("kind", "channel", "status")
    raw_id_fields = ("recipient", "application")


# --- Casework (issue 6) -----------------------------------------------------------------
from applications.models import CaseNote, Decision, LegalGround, Queue, RequestForInformation  # noqa: E402


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "product", "priority_from", "priority_to")
    filter_horizontal = ("regions", "caseworkers", "seniors")


@admin.register(LegalGround)
class LegalGroundAdmin(admin.ModelAdmin):
    list_display = ("code", "applies_to", "title_en", "legal_basis", "is_active")
    list_filter = ("applies_to", "is_active")
    search_fields = ("code", "title_en", "title_ru", "title_kk", "legal_basis")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are made on the case page, through the workflow."""

    list_display = ("application", "recommendation", "outcome", "recommended_by", "confirmed_by", "recommended_at")
    list_filter = ("recommendation", "outcome")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RequestForInformation)
class RequestForInformationAdmin(DecisionAdmin):
    list_display = ("application", "requested_by", "deadline", "replied_at")
    list_filter = ()


@admin.register(CaseNote)
class CaseNoteAdmin(DecisionAdmin):
    list_display = ("application", "author", "created_at")
    list_filter = ()


# --- Issued cards (issue 7): read-only; revocation goes through cards:revoke (audited). ---
from applications.models import IssuedCard  # noqa: E402


@admin.register(IssuedCard)
class IssuedCardAdmin(admin.ModelAdmin):
    list_display = ("number", "product", "holder_name", "status", "valid_from", "valid_until", "key_id")
    list_filter = ("product", "status", "key_id")
    search_fields = ("number", "holder_name", "holder__email")
    readonly_fields = [f.name for f in IssuedCard._meta.fields] + ["permitted_regions"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
