"""The accounts side of the admin: people, roles (groups), authenticators, sign-in records.

Each of these grants access or records how it was used, so only superusers reach them (404
for every other staff role) and every change is audited (portal.admin_access).
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as _otp_static_admin  # noqa: F401 - registers, then unregistered below
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import twofactor
from portal.admin_access import AuditedConfigAdmin, SuperuserOnlyAdmin, admin_audit
from portal.models import User


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin, BaseUserAdmin):
    """Accounts, roles (groups) and flags: superusers only (whoever edits these can make
    anyone a superuser), every change audited (never the password hash)."""

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
                    snapshot={"changed": ["password"]},  # that it changed, never a value
                    reason=user._meta.label_lower,
                )
        return response


class TOTPDeviceAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin, otp_totp_admin.TOTPDeviceAdmin):
    """django-otp's authenticator admin, telling the owner when an administrator changes their factor.

    Removing a lost authenticator here is the one way back for a staff member without a
    verified session (portal.twofactor.may_change_second_factor); it must not go unnoticed.
    The device's secret never enters the audit trail (nor the pages: OTP_ADMIN_HIDE_SENSITIVE_DATA).
    """

    audit_exclude = ("password", "key")

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if obj.confirmed and (not change or "confirmed" in form.changed_data):
                twofactor.second_factor_changed(
                    user=obj.user, change=twofactor.CHANGE_AUTHENTICATOR_ADDED, request=request, actor=request.user
                )

    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, TOTPDevice.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            removed = [device for device in queryset.select_related("user") if device.confirmed]
            super().delete_queryset(request, queryset)
            for device in removed:
                twofactor.second_factor_changed(
                    user=device.user, change=twofactor.CHANGE_AUTHENTICATOR_REMOVED, request=request, actor=request.user
                )


# Importing django-otp's admin module registered its own class; replace it.
admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
# Recovery codes are stored as they are (django-otp's static device): its admin would show
# and add codes for any staff member. Only their owner makes them (portal.twofactor).
admin.site.unregister(StaticDevice)


class GroupAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin, BaseGroupAdmin):
    """Roles: the permissions each grants. Adding one to a role hands it to every member."""


class AccessAttemptAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin, axes_admin.AccessAttemptAdmin):
    """Failed sign-ins counting towards a lockout: deleting one unlocks an account, so it is audited."""


class AccessLogAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(SuperuserOnlyAdmin, AuditedConfigAdmin, axes_admin.AccessFailureLogAdmin):
    pass


# django.contrib.auth (listed first) and django-axes (imported above, before autodiscover
# reaches it) registered their own classes; replace them.
admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
for _model, _model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
