"""Admin for the case app.

People's data (applications, documents, cards, notifications, decisions, requests for
information, notes, the audit trail) is read-only and superusers-only here, every read
audited (portal.admin_access.PersonalDataAdmin); cases are worked on the casework pages,
which apply the queue rules. Configuration (queues, legal grounds) is edited here, every
change audited with before/after values (portal.admin_access.AuditedConfigAdmin).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from applications.models import (
    Application,
    CaseNote,
    Decision,
    Document,
    IssuedCard,
    LegalGround,
    Notification,
    Queue,
    RequestForInformation,
)
from portal import privacy
from portal.admin_access import AuditedConfigAdmin, PersonalDataAdmin


@admin.register(Application)
class ApplicationAdmin(PersonalDataAdmin):
    list_display = ("reference", "product", "state", "region", "submitted_at")
    list_filter = ("product", "state", "sector", "region")
    # By reference only: searching people by e-mail or name is casework, not administration.
    search_fields = ("reference",)
    list_select_related = ("region",)
    # Identifiers masked for every admin reader (docs/privacy.md): the admin is not where
    # identity is checked.
    fields = (
        "reference",
        "product",
        "state",
        "track",
        "region",
        "sector",
        "occupation_code",
        "priority",
        "passport_shown",
        "answers_shown",
        "created_at",
        "submitted_at",
        "decided_at",
        "version",
    )
    readonly_fields = fields

    @admin.display(description=_("passport number"))
    def passport_shown(self, obj: Application) -> str:
        return privacy.passport_for(None, obj.passport_number)

    @admin.display(description=_("answers"))
    def answers_shown(self, obj: Application) -> dict:
        return privacy.answers_for(None, obj.answers)


@admin.register(Document)
class DocumentAdmin(PersonalDataAdmin):
    list_display = ("id", "application", "kind", "status", "size", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("application",)
    # Metadata only: the files are opened through the document pages (applications.documents.access).
    fields = ("application", "kind", "status", "rejection_code", "size", "detected_type", "sha256", "created_at")
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(PersonalDataAdmin):
    list_display = ("created_at", "recipient", "kind", "channel", "status", "attempts")
    list_filter = ("kind", "channel", "status")
    list_select_related = ("recipient",)


@admin.register(Queue)
class QueueAdmin(AuditedConfigAdmin):
    list_display = ("name", "product", "priority_from", "priority_to")
    filter_horizontal = ("regions", "caseworkers", "seniors")


@admin.register(LegalGround)
class LegalGroundAdmin(AuditedConfigAdmin):
    list_display = ("code", "applies_to", "title_en", "legal_basis", "is_active")
    list_filter = ("applies_to", "is_active")
    search_fields = ("code", "title_en", "title_ru", "title_kk", "legal_basis")


@admin.register(Decision)
class DecisionAdmin(PersonalDataAdmin):
    """Decisions are made on the case page, through the workflow."""

    list_display = ("application", "recommendation", "outcome", "recommended_by", "confirmed_by", "recommended_at")
    list_filter = ("recommendation", "outcome")
    list_select_related = ("application", "recommended_by", "confirmed_by")


@admin.register(RequestForInformation)
class RequestForInformationAdmin(PersonalDataAdmin):
    list_display = ("application", "requested_by", "deadline", "replied_at")
    list_select_related = ("application", "requested_by")


@admin.register(CaseNote)
class CaseNoteAdmin(PersonalDataAdmin):
    list_display = ("application", "author", "created_at")
    list_select_related = ("application", "author")


@admin.register(IssuedCard)
class IssuedCardAdmin(PersonalDataAdmin):
    """Revocation goes through the card page (cards:revoke, audited)."""

    list_display = ("number", "product", "status", "valid_from", "valid_until", "key_id")
    list_filter = ("product", "status", "key_id")
    search_fields = ("number",)
    fields = (
        "number",
        "product",
        "application",
        "holder_name",
        "birth_date_shown",
        "valid_from",
        "valid_until",
        "status",
        "revoked_at",
        "revocation_reason",
        "key_id",
        "issued_at",
    )
    readonly_fields = fields

    @admin.display(description=_("date of birth"))
    def birth_date_shown(self, obj: IssuedCard) -> str:
        return privacy.birth_date_for(None, obj.date_of_birth)
