"""The Django admin's two rules, each owned by one mixin every ModelAdmin uses.

- ``PersonalDataAdmin``: models that hold a person's data (applications, documents, cards,
  notifications, decisions, requests for information, notes, the audit trail) are read-only
  and exist in the admin only for superusers (and, for the audit trail, auditors); for
  everyone else their admin pages answer 404 and they are not listed. Every read (a list
  page, an object page) is written to the audit trail. The casework pages and the API are
  the place to work cases: they apply the queue rules (applications.access).
- ``SuperuserOnlyAdmin``: the gate both of the above and the accounts side (users, roles,
  API tokens, authenticators, sign-in records) use: superusers only, 404 for other staff.
- ``AuditedConfigAdmin``: configuration (criteria, rating, regions, quotas, legal grounds,
  queues, users) stays in the admin for the roles that hold its permissions, and every
  change made there (add, change, delete, inline rows, list-editable rows, bulk actions)
  writes an audit event with the values before and after.

See docs/security.md ("The admin").
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.urls import URLPattern

from portal import roles
from portal.audit.record import audit_record
from portal.changes import change_snapshot, values_of
from portal.client import client_ip


def admin_audit(request: HttpRequest, *, action: str, obj: models.Model, snapshot: dict, reason: str = "") -> None:
    """One audit event for something done (or read) in the admin."""
    # The case the object belongs to, if any (audit_record finds it for an application itself).
    related = getattr(obj, "application", None)
    is_case = isinstance(related, models.Model) and related._meta.label_lower == "applications.application"
    audit_record(
        actor=request.user,
        action=action,
        obj=obj,
        application=related if is_case else None,
        reason=reason,
        snapshot=snapshot,
        ip_address=client_ip(request),
    )


class AuditedConfigAdmin(admin.ModelAdmin):
    """Every change made through this admin is audited with its values before and after.

    Covers the change form (``save_model`` + ``save_related``: fields and many-to-many),
    inline rows (``save_formset``), list-editable rows (they go through ``save_model`` too),
    deletion of one object or of a selection, and every bulk action (``response_action``:
    which action, on which ids; the services an action calls audit their own changes).
    """

    # Fields never copied into the trail (a password hash is a secret, not a setting).
    audit_exclude: tuple[str, ...] = ("password",)

    def audit_values(self, obj: models.Model | None) -> dict[str, Any]:
        return {k: v for k, v in values_of(obj).items() if k not in self.audit_exclude}

    def save_model(self, request, obj, form, change):
        # Read before the save: the form has already written its values onto ``obj``.
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        request._admin_audit_before = self.audit_values(stored)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_admin_audit_before", {})
        snapshot = change_snapshot(before, self.audit_values(obj))
        if change and not snapshot["after"]:
            return  # saved without a change (inlines, if any, audit themselves)
        verb = "change" if change else "add"
        admin_audit(request, action=f"admin.{verb}", obj=obj, snapshot=snapshot, reason=obj._meta.label_lower)

    def save_formset(self, request, form, formset, change):
        model = formset.model
        stored = model._default_manager.in_bulk([f.instance.pk for f in formset.initial_forms if f.instance.pk])
        before = {pk: self.audit_values(obj) for pk, obj in stored.items()}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            admin_audit(
                request,
                action="admin.add",
                obj=obj,
                snapshot=change_snapshot({}, self.audit_values(obj)),
                reason=f"{model._meta.label_lower} (inline of {form.instance._meta.label_lower} {form.instance.pk})",
            )
        for obj, _fields in formset.changed_objects:
            admin_audit(
                request,
                action="admin.change",
                obj=obj,
                snapshot=change_snapshot(before.get(obj.pk, {}), self.audit_values(obj)),
                reason=f"{model._meta.label_lower} (inline of {form.instance._meta.label_lower} {form.instance.pk})",
            )
        for obj in formset.deleted_objects:
            self._audit_delete(request, obj, before.get(obj.pk) or {"str": str(obj)})

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit_delete(request, obj, self.audit_values(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit_delete(request, obj, self.audit_values(obj))
            super().delete_queryset(request, queryset)

    def _audit_delete(self, request, obj, before: dict) -> None:
        admin_audit(
            request,
            action="admin.delete",
            obj=obj,
            snapshot={"before": before, "after": {}},
            reason=obj._meta.label_lower,
        )

    def response_action(self, request, queryset):
        name = request.POST.get("action", "")
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        response = super().response_action(request, queryset)
        # delete_selected audits each row itself (delete_queryset); every other action is
        # recorded here once, whatever it does.
        if name and name != "delete_selected" and name in self.get_actions(request):
            admin_audit(
                request,
                action="admin.action",
                obj=ContentType.objects.get_for_model(self.model),
                snapshot={"action": name, "model": self.model._meta.label_lower, "ids": [str(i) for i in selected]},
                reason=f"{name} on {self.model._meta.label_lower}",
            )
        return response


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Only superusers (plus ``extra_roles``, to read) reach this model's admin; for other staff it does not exist.

    The gate wraps every URL the ModelAdmin serves, its own and any a third-party admin
    adds (django-otp's QR code page, for instance), so a view added later cannot skip it.
    Staff without access get 404, like a case outside their queue; people who are not
    signed-in staff still get the admin's sign-in page. Used for the people's data and for
    the third-party models that grant or reveal access: roles (groups), API tokens,
    authenticators and django-axes' sign-in records.
    """

    # Roles that may read this model here besides superusers (the audit trail: auditors).
    extra_roles: tuple[str, ...] = ()

    def may_read(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return user.is_superuser or (bool(self.extra_roles) and roles.has_role(user, *self.extra_roles))

    @staticmethod
    def may_write(request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.may_read(request)

    def has_view_permission(self, request, obj=None):
        return self.may_read(request)

    # The model's own admin may still refuse (axes: no adding sign-in records by hand).
    def has_add_permission(self, request, *args, **kwargs):
        return self.may_write(request) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return self.may_write(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_write(request) and super().has_delete_permission(request, obj)

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._gated(pattern.callback)
        return urls

    def _gated(self, view):
        @wraps(view)
        def gated_view(request: HttpRequest, *args, **kwargs):
            # Signed-in staff without access: 404 (an object one cannot see does not
            # exist), not the admin's 403. Everyone else goes on to the sign-in page.
            if self.admin_site.has_permission(request) and not self.may_read(request):
                raise Http404
            return view(request, *args, **kwargs)

        return gated_view


class PersonalDataAdmin(SuperuserOnlyAdmin):
    """Read-only, superusers only (plus ``extra_roles``), every read audited; else 404."""

    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            admin_audit(
                request,
                action="admin.list",
                obj=ContentType.objects.get_for_model(self.model),
                snapshot={
                    "model": self.model._meta.label_lower,
                    "ids": [str(o.pk) for o in changelist.result_list],
                    "query": {k: v[:200] for k, v in request.GET.items()},
                },
                reason=self.model._meta.label_lower,
            )
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is not None and response.status_code == 200:
            obj = self.get_object(request, admin.utils.unquote(object_id))
            if obj is not None:
                admin_audit(request, action="admin.view", obj=obj, snapshot={}, reason=self.model._meta.label_lower)
        return response
