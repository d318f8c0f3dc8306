"""Admin for criteria admins: criteria sets edited as rows, never as raw JSON for points.

Published and retired sets are read-only here (the models refuse changes too); "New draft
version" copies one for editing, "Publish" validates and retires the previous set. Every save
is audited. Bad definitions are refused at save with messages naming the factor.
"""

import json
from dataclasses import replace

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eligibility import rating
from eligibility.definitions import definition_from_set
from eligibility.engine import (
    CriteriaError,
    DefinitionError,
    max_attainable,
    schema_errors,
)
from eligibility.engine.definition import Band as EngineBand
from eligibility.engine.validation import _check_bands
from eligibility.models import (
    Band,
    CriteriaGroup,
    CriteriaSet,
    Factor,
    FactorChoice,
    ImpactReport,
    MatrixCell,
    MatrixEntry,
    Occupation,
    Region,
    RegionYear,
    ScarceProfession,
)
from eligibility.services import (
    criteria_set_audit_change,
    criteria_set_export,
    criteria_set_import,
    criteria_set_issues,
    criteria_set_new_draft,
    criteria_set_publish,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "name_ru",
        "name_kk",
        "macro_zone",
        "resettlement_kandas",
        "resettlement_internal",
    )
    list_filter = ("macro_zone", "resettlement_kandas", "resettlement_internal")


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "title_en")
    search_fields = ("code", "title_en", "title_ru", "title_kk")


# --------------------------------------------------------------------------- locking


class _LockedWhenPublished:
    """Read-only admin for rows of a published or retired set."""

    def _set_of(self, obj):
        return obj if isinstance(obj, CriteriaSet) else getattr(obj, "criteria_set", None)

    def has_change_permission(self, request, obj=None):
        cs = self._set_of(obj) if obj is not None else None
        if cs is not None and not cs.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        cs = self._set_of(obj) if obj is not None else None
        if cs is not None and not cs.is_editable:
            return False
        return super().has_delete_permission(request, obj)


class _LockedInline(admin.TabularInline):
    extra = 0

    def _editable(self, obj) -> bool:
        cs = obj if isinstance(obj, CriteriaSet) else getattr(obj, "criteria_set", None)
        return cs is None or cs.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


# --------------------------------------------------------------------------- criteria set


class CriteriaSetForm(forms.ModelForm):
    class Meta:
        model = CriteriaSet
        fields = [
            "product",
            "version",
            "title",
            "code",
            "effective_from",
            "pass_mark",
            "cap",
            "is_example",
            "notes",
            "facts",
            "derived",
            "tables",
            "knockouts",
            "meta",
        ]

    def clean(self):
        data = super().clean()
        # Facts and knock-outs are checked against the engine's JSON schema, naming the bad field.
        probe = {
            "schema": "eligibility.criteria/1",
            "code": data.get("code") or "probe",
            "title": "probe",
            "pass_mark": data.get("pass_mark"),
            "cap": data.get("cap"),
            "facts": data.get("facts") or [],
            "derived": data.get("derived") or [],
            "tables": data.get("tables") or [],
            "knockouts": data.get("knockouts") or [],
            "factors": [],
        }
        for err in schema_errors(probe):
            field = err.path.split("[")[0].split(".")[0]
            target = field if field in self.fields else None
            self.add_error(target, f"{err.path}: {err.message}")
        if self.instance.pk and not self.errors:
            definition = definition_from_set(self.instance)
            trial = replace(definition, pass_mark=data.get("pass_mark"), cap=data.get("cap"))
            best = max_attainable(trial)
            if trial.pass_mark is not None and trial.pass_mark > best:
                self.add_error(
                    "pass_mark",
                    _("The pass mark %(mark)s is above the maximum attainable %(best)s.")
                    % {"mark": trial.pass_mark, "best": best},
                )
            declared = {f.get("name") for f in data.get("facts") or []} | {
                d.get("name") for d in data.get("derived") or []
            }
            for factor in definition.factors:
                for name in factor.facts():
                    if name not in declared:
                        self.add_error(
                            "facts",
                            _("Factor %(factor)s reads fact '%(fact)s', which is not declared.")
                            % {"factor": factor.id, "fact": name},
                        )
        return data


class CriteriaGroupInline(_LockedInline):
    model = CriteriaGroup
    fields = ("key", "label", "cap", "parent", "order")


class FactorInline(_LockedInline):
    model = Factor
    fields = ("key", "label", "kind", "fact", "group", "bonus", "order")
    show_change_link = True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(_LockedWhenPublished, admin.ModelAdmin):
    form = CriteriaSetForm
    list_display = ("product", "version", "title", "status", "is_example", "effective_from", "pass_mark")
    list_filter = ("product", "status", "is_example")
    inlines = [CriteriaGroupInline, FactorInline]
    readonly_fields = ("status", "published_at", "retired_at", "previous", "problems", "rescoring")
    actions = ["publish_selected", "new_draft_selected", "export_selected", "impact_selected"]
    change_list_template = "admin/eligibility/criteriaset/change_list.html"

    @admin.display(description=gettext_lazy("Problems"))
    def problems(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        issues = criteria_set_issues(obj)
        if not issues:
            return _("None: this set can be published.")
        return format_html_join("", "<p>{}</p>", ((str(i),) for i in issues))

    @admin.display(description=gettext_lazy("Rescoring"))
    def rescoring(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse("admin:eligibility_criteriaset_rescore", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Rescore applications scored with this set (old vs new)"))

    def save_model(self, request, obj, form, change):
        if not obj.pk:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [f for f in form.changed_data] + [fs.model._meta.verbose_name for fs in formsets if fs.has_changed()]
        criteria_set_audit_change(
            criteria_set=form.instance, actor=request.user, what="admin: " + ", ".join(map(str, changed))
        )

    def delete_model(self, request, obj):
        criteria_set_audit_change(criteria_set=obj, actor=request.user, what="admin: deleted draft")
        super().delete_model(request, obj)

    @admin.action(description=gettext_lazy("Publish (retires the published version)"))
    def publish_selected(self, request, queryset):
        for cs in queryset:
            try:
                criteria_set_publish(criteria_set=cs, actor=request.user)
                self.message_user(request, _("Published %(set)s.") % {"set": cs}, messages.SUCCESS)
            except CriteriaError as exc:
                for issue in exc.issues:
                    self.message_user(request, f"{cs}: {issue}", messages.ERROR)

    @admin.action(description=gettext_lazy("New draft version (edit)"))
    def new_draft_selected(self, request, queryset):
        for cs in queryset:
            draft = criteria_set_new_draft(criteria_set=cs, actor=request.user)
            self.message_user(request, _("Created %(set)s.") % {"set": draft}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Export as JSON"))
    def export_selected(self, request, queryset):
        payload = [criteria_set_export(cs) for cs in queryset]
        body = json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = queryset[0].engine_code if len(payload) == 1 else "criteria"
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response

    @admin.action(description=gettext_lazy("Preview impact on the submitted pool"))
    def impact_selected(self, request, queryset):
        from eligibility.impact import impact_request

        for cs in queryset:
            report = impact_request(criteria_set=cs, actor=request.user)
            url = reverse("admin:eligibility_impactreport_change", args=[report.pk])
            self.message_user(request, _("Impact preview started: %(url)s") % {"url": url}, messages.INFO)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="eligibility_criteriaset_import"),
            path(
                "<int:pk>/rescore/",
                self.admin_site.admin_view(self.rescore_view),
                name="eligibility_criteriaset_rescore",
            ),
        ] + super().get_urls()

    def rescore_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Rescore on demand the applications stamped with this set: old vs new first, then apply."""
        from applications.models import Application
        from eligibility.impact import POOL_STATES
        from eligibility.rescoring import rescore_pool
        from eligibility.services import criteria_set_audit_change, rescore_preview

        cs = CriteriaSet.objects.filter(pk=pk).first()
        if cs is None or not self.has_view_permission(request, cs):
            return HttpResponse(status=404)
        if request.method == "POST":
            if not request.user.has_perm("eligibility.change_criteriaset"):
                return HttpResponse(status=403)
            stats = rescore_pool(criteria_set=cs, states=POOL_STATES, only_stamped=True)
            criteria_set_audit_change(
                criteria_set=cs, actor=request.user, what=f"rescored {stats.rows} applications, {stats.changed} changed"
            )
            self.message_user(
                request,
                _("Rescored %(rows)s applications; %(changed)s changed.")
                % {"rows": stats.rows, "changed": stats.changed},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:eligibility_criteriaset_rescore", args=[cs.pk]))
        apps = (
            Application.objects.filter(criteria_set=cs, state__in=POOL_STATES)
            .select_related("scoring")
            .order_by("pk")[:500]
        )
        rows = rescore_preview(applications=apps, criteria_set=cs)
        return render(
            request,
            "admin/eligibility/criteriaset/rescore.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "criteria_set": cs,
                "rows": [r for r in rows if r["changed"]],
                "checked": len(rows),
                "can_apply": request.user.has_perm("eligibility.change_criteriaset"),
            },
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        errors: list[str] = []
        if request.method == "POST":
            upload = request.FILES.get("file")
            try:
                if upload is None:
                    raise DefinitionError("", _("Choose a JSON file to import."))
                data = json.loads(upload.read().decode("utf-8"))
                cs = criteria_set_import(data=data, actor=request.user, product=request.POST.get("product") or None)
            except json.JSONDecodeError as exc:
                errors.append(_("The file is not valid JSON: %(error)s") % {"error": exc})
            except UnicodeDecodeError:
                errors.append(_("The file is not UTF-8 text."))
            except DefinitionError as exc:
                errors.append(str(exc))
            except CriteriaError as exc:
                errors.extend(str(i) for i in exc.issues)
            else:
                self.message_user(request, _("Imported %(set)s as a draft.") % {"set": cs}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:eligibility_criteriaset_change", args=[cs.pk]))
        from eligibility.products import Product

        return render(
            request,
            "admin/eligibility/criteriaset/import.html",
            {
                **self.admin_site.each_context(request),
                "errors": errors,
                "products": Product.choices,
                "opts": self.model._meta,
            },
        )


# --------------------------------------------------------------------------- factor


class FactorForm(forms.ModelForm):
    class Meta:
        model = Factor
        fields = [
            "criteria_set",
            "key",
            "label",
            "help",
            "kind",
            "fact",
            "group",
            "bonus",
            "order",
            "points_true",
            "points_false",
            "table",
            "points_not_found",
            "row_fact",
            "row_kind",
            "col_fact",
            "col_kind",
        ]

    def clean(self):
        data = super().clean()
        cs = data.get("criteria_set") or getattr(self.instance, "criteria_set", None)
        key = data.get("key") or "?"
        kind = data.get("kind")
        if cs is None:
            return data
        declared = {f.get("name") for f in cs.facts or []} | {d.get("name") for d in cs.derived or []}
        needed = (
            [("row_fact", data.get("row_fact")), ("col_fact", data.get("col_fact"))]
            if kind == "matrix"
            else [("fact", data.get("fact"))]
        )
        for field, name in needed:
            if not name:
                self.add_error(field, _("Factor %(factor)s needs a fact.") % {"factor": key})
            elif name not in declared:
                self.add_error(
                    field,
                    _("Factor %(factor)s reads unknown fact '%(fact)s'.") % {"factor": key, "fact": name},
                )
        if kind == "lookup":
            tables = {t.get("name") for t in cs.tables or []}
            if data.get("table") not in tables:
                self.add_error(
                    "table",
                    _("Factor %(factor)s looks up table '%(table)s', which does not exist.")
                    % {"factor": key, "table": data.get("table") or ""},
                )
        if kind == "boolean" and data.get("points_true") is None:
            self.add_error("points_true", _("Factor %(factor)s needs points for yes.") % {"factor": key})
        if kind == "matrix" and not (data.get("row_kind") and data.get("col_kind")):
            self.add_error("row_kind", _("Factor %(factor)s needs the kind of its rows and columns.") % {"factor": key})
        group = data.get("group")
        if group is not None and group.criteria_set_id != cs.pk:
            self.add_error("group", _("That group belongs to another criteria set."))
        return data


class BandFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        bands = [
            EngineBand(
                min=f.cleaned_data.get("min"), max=f.cleaned_data.get("max"), points=f.cleaned_data.get("points") or 0
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not bands:
            return
        name = self.instance.key or "?"
        issues = _check_bands([(b.min, b.max) for b in bands], f"factor {name}", "bands")
        if issues:
            raise ValidationError(
                [_("Factor %(factor)s: %(message)s") % {"factor": name, "message": i.message} for i in issues]
            )


class BandInline(_LockedInline):
    model = Band
    formset = BandFormSet
    fields = ("min", "max", "points", "label", "order")


class ChoiceInline(_LockedInline):
    model = FactorChoice
    fields = ("value", "points", "label", "order")


class MatrixEntryInline(_LockedInline):
    model = MatrixEntry
    fields = ("axis", "key", "label", "min", "max", "values", "order")


class MatrixCellInline(_LockedInline):
    model = MatrixCell
    fields = ("row_key", "col_key", "points")


@admin.register(Factor)
class FactorAdmin(_LockedWhenPublished, admin.ModelAdmin):
    form = FactorForm
    list_display = ("key", "label", "kind", "criteria_set", "group", "bonus")
    list_filter = ("kind", "criteria_set__product", "criteria_set__status")
    inlines = [BandInline, ChoiceInline, MatrixEntryInline, MatrixCellInline]

    def get_inline_instances(self, request, obj=None):
        kinds = {
            "bands": [BandInline],
            "choices": [ChoiceInline],
            "lookup": [ChoiceInline],
            "boolean": [],
            "matrix": [MatrixEntryInline, MatrixCellInline],
        }
        wanted = kinds.get(obj.kind, self.inlines) if obj is not None else []
        return [i(self.model, self.admin_site) for i in wanted]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        cs = form.instance.criteria_set
        issues = [i for i in criteria_set_issues(cs) if i.subject == f"factor {form.instance.key}"]
        if issues:
            # The admin's view runs in one transaction: undo this save and say why.
            transaction.set_rollback(True)
            for issue in issues:
                self.message_user(request, str(issue), messages.ERROR)
            self.message_user(request, _("Nothing was saved."), messages.ERROR)
            return
        criteria_set_audit_change(criteria_set=cs, actor=request.user, what=f"admin: factor {form.instance.key}")

    def delete_model(self, request, obj):
        criteria_set_audit_change(
            criteria_set=obj.criteria_set, actor=request.user, what=f"admin: deleted factor {obj.key}"
        )
        super().delete_model(request, obj)


class _AuditedAdmin(admin.ModelAdmin):
    """Reference data behind lookups: every save and delete is audited."""

    def save_model(self, request, obj, form, change):
        from applications.audit import audit_record

        super().save_model(request, obj, form, change)
        snapshot = {f: str(getattr(obj, f)) for f in form.changed_data} if form is not None else {}
        audit_record(actor=request.user, action=f"{obj._meta.model_name}.save", obj=obj, snapshot=snapshot)

    def delete_model(self, request, obj):
        from applications.audit import audit_record

        audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj, snapshot={"str": str(obj)})
        super().delete_model(request, obj)


# --------------------------------------------------------------------------- rating and regions


@admin.register(ScarceProfession)
class ScarceProfessionAdmin(_AuditedAdmin):
    list_display = ("year", "occupation", "sector", "priority")
    list_filter = ("year", "sector", "priority")
    search_fields = ("occupation__code", "occupation__title_en")
    autocomplete_fields = ("occupation",)
    actions = ["export_csv"]
    change_list_template = "admin/eligibility/scarceprofession/change_list.html"

    @admin.action(description=gettext_lazy("Export as CSV"))
    def export_csv(self, request, queryset):
        years = sorted(set(queryset.values_list("year", flat=True)))
        body = "".join(
            rating.rating_export(y) if i == 0 else rating.rating_export(y).split("\n", 1)[1]
            for i, y in enumerate(years)
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="scarce-professions.csv"'
        return response

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="eligibility_scarceprofession_import"),
        ] + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        errors: list[str] = []
        if request.method == "POST" and request.FILES.get("file"):
            try:
                text = request.FILES["file"].read().decode("utf-8")
            except UnicodeDecodeError:
                errors.append(_("The file is not UTF-8 text."))
            else:
                report = rating.rating_import(text, actor=request.user)
                if report.ok:
                    self.message_user(
                        request,
                        _("Imported: %(created)s new rows, %(updated)s updated.")
                        % {"created": report.created, "updated": report.updated},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:eligibility_scarceprofession_changelist"))
                errors = [str(e) for e in report.errors or []]
        return render(
            request,
            "admin/eligibility/scarceprofession/import.html",
            {**self.admin_site.each_context(request), "errors": errors, "opts": self.model._meta},
        )


@admin.register(RegionYear)
class RegionYearAdmin(_AuditedAdmin):
    list_display = ("region", "year", "labour_deficient")
    list_editable = ("labour_deficient",)
    list_filter = ("year", "labour_deficient")


@admin.register(ImpactReport)
class ImpactReportAdmin(admin.ModelAdmin):
    list_display = ("criteria_set", "status", "percent", "total", "created_at", "finished_at")
    readonly_fields = (
        "criteria_set",
        "status",
        "percent",
        "total",
        "done",
        "summary",
        "error",
        "created_at",
        "finished_at",
    )
    exclude = ("result", "requested_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Impact"))
    def summary(self, obj):
        from django.template.loader import render_to_string

        return render_to_string("admin/eligibility/impactreport/summary.html", {"report": obj})


# --- Quotas (issue 6) -------------------------------------------------------------------
from eligibility.models import AllocationRound, Quota  # noqa: E402


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("product", "year", "sector", "region", "places", "used")
    list_filter = ("product", "year", "sector")
    # `used` moves only with approvals (applications.quotas.quota_consume).
    readonly_fields = ("used",)


@admin.register(AllocationRound)
class AllocationRoundAdmin(admin.ModelAdmin):
    """Rounds are run from the quota page (they move cases); the admin lists them."""

    list_display = ("created_at", "product", "year", "sector", "region", "places_released", "cases_moved")
    list_display += ("cut_off_score",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
