from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.admin_access import AuditedConfigAdmin, admin_audit
from portal.models import User


@admin.register(User)
class UserAdmin(AuditedConfigAdmin, BaseUserAdmin):
    """Accounts, roles (groups) and flags: every change audited (never the password hash)."""

    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "preferred_language")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "preferred_language", "email_verified_at")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def user_change_password(self, request, id, form_url=""):
        # The admin's own password page saves outside save_model: record that it happened
        # (never the hash).
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None:
                admin_audit(
                    request,
                    action="admin.change",
                    obj=user,
                    snapshot={"before": {"password": "(old)"}, "after": {"password": "(changed)"}},
                    reason=user._meta.label_lower,
                )
        return response
