"""API tokens in the admin: read-only rows (the raw token is never stored), revocable.

Superusers only (404 for other staff) and every revocation or deletion audited.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_access import AuditedConfigAdmin, SuperuserOnlyAdmin
from portal.api.models import ApiToken
from portal.api.tokens import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin):
    audit_exclude = ("digest",)  # a token's hash stays out of the trail
    list_display = ["prefix", "user", "name", "scope", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "user__email", "name"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request, *args, **kwargs) -> bool:
        return False  # tokens are created by create_api_token or the API, which show them once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
