"""Admin pages: the labour-market upload (the import list's "add" page) and the shortage
model's versions (each save a new version; a version is never edited)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eligibility.labour_market.imports import DEFAULT_LONG_OPEN_DAYS, MAX_FILE_BYTES, labour_market_import
from eligibility.labour_market.models import LabourMarketImport, ShortageModel
from eligibility.labour_market.services import shortage_model_create
from portal.admin_access import AuditedConfigAdmin
from portal.forms import NamedErrorsMixin

# Errors shown on the page; a file with thousands of bad rows names the first ones and a count.
SHOWN_ERRORS = 100


class LabourMarketUploadForm(NamedErrorsMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    long_open_days = forms.IntegerField(
        label=gettext_lazy("A vacancy counts as long-open after (days)"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_LONG_OPEN_DAYS,
    )


@admin.register(LabourMarketImport)
class LabourMarketImportAdmin(admin.ModelAdmin):
    list_display = ("version", "file_name", "row_count", "long_open_days", "imported_by", "imported_at")
    readonly_fields = (
        "version",
        "file_name",
        "sha256",
        "row_count",
        "long_open_days",
        "source",
        "imported_by",
        "imported_at",
    )
    fields = readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a proposal names the import it was computed from

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        """The upload page: every row validated, nothing saved unless all are valid."""
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = LabourMarketUploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        more = 0
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_FILE_BYTES:
                errors = [_("The file is larger than 30 MB.")]
            else:
                report = labour_market_import(
                    upload.read(),
                    file_name=upload.name,
                    actor=request.user,
                    long_open_days=form.cleaned_data["long_open_days"],
                    source="upload",
                )
                if report.ok and report.data_import is not None:
                    self.message_user(
                        request,
                        _("Imported version %(version)s: %(rows)s rows.")
                        % {"version": report.data_import.version, "rows": report.data_import.row_count},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:labour_market_labourmarketimport_changelist"))
                errors = [str(e) for e in report.errors[:SHOWN_ERRORS]]
                more = len(report.errors) - len(errors)
        return render(
            request,
            "admin/labour_market/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "errors": errors,
                "more": more,
                "title": _("Import labour-market data"),
            },
        )


@admin.register(ShortageModel)
class ShortageModelAdmin(AuditedConfigAdmin):
    list_display = (
        "version",
        "weight_vacancy_ratio",
        "weight_long_open",
        "weight_wage_growth",
        "weight_employment_growth",
        "priority_1_from",
        "priority_2_from",
        "priority_3_from",
        "min_vacancies",
        "created_by",
        "created_at",
    )
    fields = (
        "weight_vacancy_ratio",
        "weight_long_open",
        "weight_wage_growth",
        "weight_employment_growth",
        "priority_1_from",
        "priority_2_from",
        "priority_3_from",
        "min_vacancies",
        "note",
    )

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a change is a new version: "add" starts from the latest one

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_changeform_initial_data(self, request):
        latest = ShortageModel.objects.order_by("-version").first()
        if latest is None:
            return super().get_changeform_initial_data(request)
        return {name: getattr(latest, name) for name in self.fields}

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in self.fields}
        saved = shortage_model_create(values=values, actor=request.user)
        # The admin's messages and redirect name the object it holds: make it the saved version.
        obj.pk, obj.version, obj.created_by, obj.created_at = (
            saved.pk,
            saved.version,
            saved.created_by,
            saved.created_at,
        )

    def save_related(self, request, form, formsets, change):
        """The service audited the new version; nothing related to save."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class OrderedCutOffs(form):  # type: ignore[misc, valid-type]
            def clean(self):
                data = super().clean()
                cuts = [data.get(f"priority_{n}_from") for n in (1, 2, 3)]
                if None not in cuts and not cuts[0] >= cuts[1] >= cuts[2]:
                    raise forms.ValidationError(_("The cut-offs must fall from priority 1 to priority 3."))
                weights = [data.get(n) for n in self_fields if n.startswith("weight_")]
                if None not in weights and sum(weights) <= 0:
                    raise forms.ValidationError(_("At least one weight must be above 0."))
                return data

        self_fields = self.fields
        return OrderedCutOffs
