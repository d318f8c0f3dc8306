from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.admin_access import AuditedConfigAdmin
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
