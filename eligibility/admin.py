"""Admin for criteria admins: criteria sets edited as rows, never as raw JSON for points.

Published and retired sets are read-only here (the models refuse changes too); "New draft
version" copies one for editing, "Publish" validates and retires the previous set. Every save
is audited. Bad definitions are refused at save with messages naming the factor.
"""

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers as admin_helpers
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eligibility import hooks, rating
from eligibility.definitions import NO_VALUE_OPS, definition_from_set
from eligibility.display import outcome_display
from eligibility.engine import (
    CriteriaError,
    DefinitionError,
    max_attainable,
)
from eligibility.engine.definition import Band as EngineBand
from eligibility.engine.validation import _check_bands
from eligibility.models import (
    Band,
    CriteriaGroup,
    CriteriaSet,
    DerivedFactDeclaration,
    FactDeclaration,
    Factor,
    FactorChoice,
    ImpactReport,
    KnockOut,
    KnockOutCondition,
    LabelTranslation,
    MatrixCell,
    MatrixEntry,
    Occupation,
    ReferenceTable,
    ReferenceTableRow,
    Region,
    RegionYear,
    ScarceProfession,
)
from eligibility.occupations import occupation_title, occupations_search
from eligibility.services import (
    criteria_set_audit_change,
    criteria_set_declaration_issues,
    criteria_set_export,
    criteria_set_import,
    criteria_set_issues,
    criteria_set_new_draft,
    criteria_set_publish,
    criteria_set_sync_labels,
    missing_translations,
)
from portal import confirmation
from portal.admin_access import AuditedConfigAdmin
from portal.forms import NamedErrorsMixin


@admin.register(Region)
class RegionAdmin(AuditedConfigAdmin):
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


class _OccupationSearch:
    """Admin search by occupation in the admin's language (``eligibility.occupations``), not
    only by the English column: a Russian-speaking admin finds "врач" as well as "doctor"."""

    occupation_path = "code"

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        codes = [code for code, _title in occupations_search(search_term, limit=None)] if search_term else []
        if codes:
            found = found | queryset.filter(**{f"{self.occupation_path}__in": codes})
        return found, may_have_duplicates


@admin.register(Occupation)
class OccupationAdmin(_OccupationSearch, AuditedConfigAdmin):
    list_display = ("code", "title")
    search_fields = ("code",)

    @admin.display(description=gettext_lazy("title"))
    def title(self, obj: Occupation) -> str:
        return occupation_title(obj.code)


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


# --------------------------------------------------------------------------- dropdowns and refusal


def _names(cs: CriteriaSet | None, *, derived: bool = True) -> list[str]:
    """Fact names a row of ``cs`` may read (saved facts, then derived facts)."""
    if cs is None or cs.pk is None:
        return []
    names = list(FactDeclaration.objects.filter(criteria_set=cs).values_list("name", flat=True))
    if derived:
        names += list(DerivedFactDeclaration.objects.filter(criteria_set=cs).values_list("name", flat=True))
    return names


def _table_names(cs: CriteriaSet | None) -> list[str]:
    if cs is None or cs.pk is None:
        return []
    return list(ReferenceTable.objects.filter(criteria_set=cs).values_list("name", flat=True))


def _dropdown(form_class: type[forms.BaseForm], field: str, names: list[str], current: list[str]) -> None:
    """Turn a text field of ``form_class`` into a dropdown of ``names``. Values already stored
    stay listed (a stale name is then refused at save with its message, not lost)."""
    old = form_class.base_fields.get(field)
    if old is None:
        return
    options = list(dict.fromkeys([*names, *[c for c in current if c]]))
    # A text field shown as a dropdown: a name outside the list is refused by the form's own
    # check, whose message names the factor or knock-out ("Select a valid choice" would not).
    form_class.base_fields[field] = forms.CharField(
        required=False,
        label=old.label,
        help_text=old.help_text,
        widget=forms.Select(choices=[("", "---------"), *((n, n) for n in options)]),
    )


class _Refused(Exception):
    def __init__(self, issues: list[Any]) -> None:
        self.issues = issues


class _SuggestInput(forms.TextInput):
    """A text box offering ``options`` (HTML datalist): for keys typed in the same save."""

    def __init__(self, options: list[str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-options"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((o,) for o in self.options))
        return box + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class _RefuseProblems:
    """Admin pages that refuse a save leaving problems in the set (unknown fact, missing table,
    malformed knock-out). The rows are saved and checked as a whole set inside the admin's
    transaction; on a problem ``_Refused`` rolls that transaction back and the page is shown
    again with what was typed and the problems, each naming its factor or knock-out."""

    def save_problems(self, request: HttpRequest, cs: CriteriaSet, form: forms.ModelForm) -> list[Any]:
        return criteria_set_declaration_issues(cs)

    def check_or_refuse(self, request: HttpRequest, cs: CriteriaSet, form: forms.ModelForm) -> None:
        issues = self.save_problems(request, cs, form)
        if issues:
            raise _Refused(issues)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as exc:
            # Second pass: the same POST, with the main form refusing on the problems found.
            request._criteria_refused = exc.issues
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        issues = getattr(request, "_criteria_refused", None)
        if not issues:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                data = super().clean()
                for issue in issues:
                    self.add_error(None, str(issue))
                self.add_error(None, _("Nothing was saved."))
                return data

        return RefusedForm


class _DraftSetField:
    """Rows are added only to drafts: the set dropdown lists drafts (a published set's rows
    would be refused by the model anyway)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criteria_set":
            kwargs["queryset"] = CriteriaSet.objects.filter(status=CriteriaSet.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --------------------------------------------------------------------------- criteria set


class CriteriaSetForm(NamedErrorsMixin, forms.ModelForm):
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
            "source",
            "version_note",
            "fact_notes",
        ]

    def clean(self):
        data = super().clean()
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
        return data


class _NamedRowFormSet(forms.BaseInlineFormSet):
    """Names (facts, tables, knock-outs) must be unique in the set: say which one repeats."""

    name_field = "name"

    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            name = (form.cleaned_data or {}).get(self.name_field)
            if not name or form.cleaned_data.get("DELETE"):
                continue
            if name in seen:
                form.add_error(self.name_field, _("'%(name)s' is used twice.") % {"name": name})
            seen.add(name)


class FactDeclarationInline(_LockedInline):
    model = FactDeclaration
    formset = _NamedRowFormSet
    fields = ("name", "type", "label", "help", "choices", "choice_labels", "minimum", "maximum", "default")
    fields += ("improvable", "order")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})}}


class DerivedFactForm(NamedErrorsMixin, forms.ModelForm):
    of = forms.MultipleChoiceField(label=gettext_lazy("of the facts"), choices=())

    class Meta:
        model = DerivedFactDeclaration
        fields = ("name", "op", "of", "label", "order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["of"] = self.instance.of_names

    def clean_of(self) -> str:
        chosen = self.cleaned_data["of"]
        stored = self.instance.of_names if self.instance.pk else []
        # Keep the stored order when the same facts stay chosen (export gives back the import).
        return ",".join(stored if sorted(stored) == sorted(chosen) else chosen)


class DerivedFactInline(_LockedInline):
    model = DerivedFactDeclaration
    form = DerivedFactForm
    formset = _NamedRowFormSet
    fields = ("name", "op", "of", "label", "order")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        stored = [n for d in (obj.derived_facts.all() if obj and obj.pk else []) for n in d.of_names]
        names = list(dict.fromkeys([*_names(obj, derived=False), *stored]))
        formset.form.base_fields["of"].choices = [(n, n) for n in names]
        return formset


class ReferenceTableInline(_LockedInline):
    model = ReferenceTable
    formset = _NamedRowFormSet
    fields = ("name", "label", "own_rows", "order")
    show_change_link = True


class KnockOutFormSet(_NamedRowFormSet):
    name_field = "key"


class KnockOutInline(_LockedInline):
    model = KnockOut
    formset = KnockOutFormSet
    fields = ("key", "label", "help", "order")
    show_change_link = True


class CriteriaGroupInline(_LockedInline):
    model = CriteriaGroup
    fields = ("key", "label", "cap", "parent", "order")


class FactorInline(_LockedInline):
    model = Factor
    fields = ("key", "label", "kind", "fact", "group", "bonus", "order")
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        current = list(obj.factors.values_list("fact", flat=True)) if obj and obj.pk else []
        _dropdown(formset.form, "fact", _names(obj), current)
        return formset


class LabelTranslationInline(_LockedInline):
    """The set's texts, one row each, with a field per language. Rows are not added or
    deleted here: they follow the texts of the set's rows (``criteria_set_sync_labels``)."""

    model = LabelTranslation
    fields = ("source", "kk", "ru", "en", "uz", "zh_hans")
    readonly_fields = ("source",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})}}
    classes = ("collapse",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Language names of the "missing translations" summary, in the admin's language.
LANGUAGE_NAMES = {
    "kk": gettext_lazy("Kazakh"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
    "uz": gettext_lazy("Uzbek"),
    "zh-hans": gettext_lazy("Chinese"),
}


def _missing_translation_lines(cs: CriteriaSet) -> list[str]:
    gaps = missing_translations(definition_from_set(cs), ("kk", "ru", "uz", "zh-hans"))
    return [
        ngettext(
            "%(language)s: %(count)d text without a translation",
            "%(language)s: %(count)d texts without a translation",
            len(texts),
        )
        % {"language": LANGUAGE_NAMES[code], "count": len(texts)}
        for code, texts in gaps.items()
    ]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(_RefuseProblems, _LockedWhenPublished, AuditedConfigAdmin):
    form = CriteriaSetForm
    list_display = ("product", "version", "title", "status", "is_example", "effective_from", "pass_mark")
    list_filter = ("product", "status", "is_example")
    inlines = [
        FactDeclarationInline,
        DerivedFactInline,
        ReferenceTableInline,
        KnockOutInline,
        CriteriaGroupInline,
        FactorInline,
        LabelTranslationInline,
    ]
    readonly_fields = (
        "status",
        "published_at",
        "retired_at",
        "previous",
        "other_source_details",
        "problems",
        "missing_translations",
        "rescoring",
    )

    @admin.display(description=gettext_lazy("Missing translations"))
    def missing_translations(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        lines = _missing_translation_lines(obj)
        if not lines:
            return _("None: every text is translated.")
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A published set is what applicants read now: a gap there shows as English on their
        # pages (or Russian on Kazakh pages), so it is said above the form, not only in a field.
        cs = CriteriaSet.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if request.method == "GET" and cs is not None and cs.status == CriteriaSet.Status.PUBLISHED:
            lines = _missing_translation_lines(cs)
            if lines:
                text = _("This published set has texts without a translation; applicants see them in English:")
                self.message_user(request, f"{text} {'; '.join(lines)}.", messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("Other source details"))
    def other_source_details(self, obj):
        # Keys of an imported "meta" object without a field of their own: kept for export.
        if obj is None or not obj.meta:
            return "-"
        return format_html_join("", "<p>{}: {}</p>", ((k, str(v)) for k, v in obj.meta.items()))

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
        criteria_set_sync_labels(criteria_set=form.instance)
        self.check_or_refuse(request, form.instance, form)
        changed = [f for f in form.changed_data] + [fs.model._meta.verbose_name for fs in formsets if fs.has_changed()]
        criteria_set_audit_change(
            criteria_set=form.instance, actor=request.user, what="admin: " + ", ".join(map(str, changed))
        )

    def delete_model(self, request, obj):
        criteria_set_audit_change(criteria_set=obj, actor=request.user, what="admin: deleted draft")
        super().delete_model(request, obj)

    @admin.action(description=gettext_lazy("Publish (retires the published version)"))
    def publish_selected(self, request, queryset):
        """Publish after an "are you sure" page that sums up each set's latest impact report.

        The action runs only when the POST brings back the page's token for exactly these
        sets (portal/confirmation.py); choosing the action, or posting it directly, shows the page.
        """
        sets = list(queryset.select_related("created_by").order_by("product", "version"))
        subject = ",".join(str(pk) for pk in sorted(cs.pk for cs in sets))
        if not confirmation.is_confirmed(request.POST, user=request.user, purpose="criteria.publish", subject=subject):
            return self._publish_confirmation(request, sets, subject)
        for cs in sets:
            try:
                criteria_set_publish(criteria_set=cs, actor=request.user)
                self.message_user(request, _("Published %(set)s.") % {"set": cs}, messages.SUCCESS)
            except CriteriaError as exc:
                for issue in exc.issues:
                    self.message_user(request, f"{cs}: {issue}", messages.ERROR)

    def _publish_confirmation(self, request: HttpRequest, sets: list, subject: str) -> HttpResponse:
        rows = []
        for cs in sets:
            in_force = (
                CriteriaSet.objects.filter(product=cs.product, status=CriteriaSet.Status.PUBLISHED)
                .exclude(pk=cs.pk)
                .order_by("-version")
                .first()
            )
            rows.append(
                {
                    "set": cs,
                    "issues": criteria_set_issues(cs) if cs.status == CriteriaSet.Status.DRAFT else [],
                    "is_draft": cs.status == CriteriaSet.Status.DRAFT,
                    "replaces": in_force,
                    "report": cs.impact_reports.order_by("-created_at").first(),
                }
            )
        return render(
            request,
            "admin/eligibility/criteriaset/publish_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Publish criteria sets"),
                "rows": rows,
                "may_publish": all(row["is_draft"] and not row["issues"] for row in rows),
                "token": confirmation.confirmation_token(
                    user=request.user, purpose="criteria.publish", subject=subject
                ),
                "token_field": confirmation.FIELD,
                "action_checkbox_name": admin_helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

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
        for cs in queryset:
            report = hooks.provider("impact_request")(criteria_set=cs, actor=request.user)
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
        """Rescore on demand the applications stamped with this set: the applications app
        provides the page (eligibility does not know applications)."""
        cs = CriteriaSet.objects.filter(pk=pk).first()
        if cs is None or not self.has_view_permission(request, cs):
            return HttpResponse(status=404)
        return hooks.provider("rescore_view")(self, request, cs)

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


class FactorForm(NamedErrorsMixin, forms.ModelForm):
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
        declared = set(_names(cs))
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
        if kind == "lookup" and data.get("table") not in _table_names(cs):
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


def _set_from_request(request: HttpRequest, obj: Any) -> CriteriaSet | None:
    """The set a row page belongs to: the row's, else ?criteria_set= (the inline's add link)."""
    if obj is not None:
        return obj.criteria_set
    pk = request.POST.get("criteria_set") or request.GET.get("criteria_set")
    return CriteriaSet.objects.filter(pk=pk).first() if pk and str(pk).isdigit() else None


@admin.register(Factor)
class FactorAdmin(_DraftSetField, _RefuseProblems, _LockedWhenPublished, AuditedConfigAdmin):
    form = FactorForm
    list_display = ("key", "label", "kind", "criteria_set", "group", "bonus")
    list_filter = ("kind", "criteria_set__product", "criteria_set__status")
    inlines = [BandInline, ChoiceInline, MatrixEntryInline, MatrixCellInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        cs = _set_from_request(request, obj)
        names = _names(cs)
        for field in ("fact", "row_fact", "col_fact"):
            _dropdown(form, field, names, [getattr(obj, field)] if obj else [])
        _dropdown(form, "table", _table_names(cs), [obj.table] if obj else [])
        if cs is not None and "group" in form.base_fields:
            form.base_fields["group"].queryset = CriteriaGroup.objects.filter(criteria_set=cs)
        return form

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

    def save_problems(self, request, cs, form):
        # Every problem of this factor (band gaps too), as before the declarations became rows.
        return [i for i in criteria_set_issues(cs) if i.subject == f"factor {form.instance.key}"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        cs = form.instance.criteria_set
        criteria_set_sync_labels(criteria_set=cs)
        self.check_or_refuse(request, cs, form)
        criteria_set_audit_change(criteria_set=cs, actor=request.user, what=f"admin: factor {form.instance.key}")

    def delete_model(self, request, obj):
        criteria_set_audit_change(
            criteria_set=obj.criteria_set, actor=request.user, what=f"admin: deleted factor {obj.key}"
        )
        super().delete_model(request, obj)
        criteria_set_sync_labels(criteria_set=obj.criteria_set)


# --------------------------------------------------------------------------- knock-outs


class KnockOutConditionFormSet(forms.BaseInlineFormSet):
    """The rows must make one tree: one row without a parent, combinations with a key and
    children, tests with a fact and a test. Every message names the knock-out."""

    def clean(self):
        super().clean()
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        ko = self.instance.key or "?"
        errors: list[str] = []

        def say(message: str, **params: Any) -> None:
            errors.append(_("Knock-out %(knockout)s: ") % {"knockout": ko} + message % params)

        roots = [r for r in rows if not r.get("parent")]
        if rows and len(roots) != 1:
            say(_("exactly one condition must not be part of another (there are %(count)s)."), count=len(roots))
        combos: dict[str, str] = {}
        for r in rows:
            if r.get("kind") != KnockOutCondition.Kind.TEST:
                if not r.get("key"):
                    say(_("a '%(kind)s' row needs a key for its parts to name."), kind=r.get("kind"))
                elif r["key"] in combos:
                    say(_("the key '%(key)s' is used twice."), key=r["key"])
                else:
                    combos[r["key"]] = r["kind"]
        parts: dict[str, int] = dict.fromkeys(combos, 0)
        for r in rows:
            parent = r.get("parent")
            if parent and parent not in combos:
                say(_("'%(parent)s' is not the key of an all of / any of / not row."), parent=parent)
            elif parent:
                parts[parent] += 1
            if r.get("kind") == KnockOutCondition.Kind.TEST:
                if not r.get("fact") or not r.get("op"):
                    say(_("every test needs a fact and a test."))
                elif r["op"] not in NO_VALUE_OPS and r.get("value") in (None, ""):
                    say(_("the test on %(fact)s needs a value."), fact=r["fact"])
        for key, count in parts.items():
            if combos[key] == KnockOutCondition.Kind.NOT and count != 1:
                say(_("'not' row %(key)s must have exactly one part."), key=key)
            elif count == 0:
                say(_("'%(key)s' has no parts."), key=key)
        # Every row must hang from the root (no loops of parents).
        reach, frontier = set(), [r.get("key") for r in roots]
        while frontier:
            key = frontier.pop()
            if key and key not in reach:
                reach.add(key)
                frontier += [r.get("key") for r in rows if r.get("parent") == key]
        if len(roots) == 1 and any(r.get("parent") and r["parent"] not in reach for r in rows):
            say(_("some rows are not connected to the top condition."))
        if errors:
            raise ValidationError(errors)


class KnockOutConditionInline(_LockedInline):
    model = KnockOutCondition
    formset = KnockOutConditionFormSet
    fields = ("kind", "key", "parent", "fact", "op", "value", "label", "order")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        rows = list(obj.conditions.all()) if obj is not None and obj.pk else []
        cs = obj.criteria_set if obj is not None and obj.pk else None
        _dropdown(formset.form, "fact", _names(cs), [r.fact for r in rows])
        # "Part of" names a combination's key, possibly one typed in this same save: a text box
        # suggesting the saved keys rather than a closed list.
        keys = [r.key for r in rows if r.kind != KnockOutCondition.Kind.TEST]
        formset.form.base_fields["parent"].widget = _SuggestInput(keys)
        return formset


class _DeclarationAdmin(_DraftSetField, _RefuseProblems, _LockedWhenPublished, AuditedConfigAdmin):
    """A declaration edited on its own page (reached from the set's inline): saves are checked
    against the whole set and audited."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        cs = form.instance.criteria_set
        criteria_set_sync_labels(criteria_set=cs)
        self.check_or_refuse(request, cs, form)
        what = f"admin: {self.model._meta.model_name} {form.instance}"
        criteria_set_audit_change(criteria_set=cs, actor=request.user, what=what)

    def delete_model(self, request, obj):
        what = f"admin: deleted {self.model._meta.model_name} {obj}"
        criteria_set_audit_change(criteria_set=obj.criteria_set, actor=request.user, what=what)
        super().delete_model(request, obj)
        criteria_set_sync_labels(criteria_set=obj.criteria_set)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "criteria_set" in form.base_fields:
            # A declaration stays in its set: moving it would bypass the other set's lock.
            form.base_fields["criteria_set"].disabled = True
        return form


@admin.register(KnockOut)
class KnockOutAdmin(_DeclarationAdmin):
    list_display = ("key", "label", "criteria_set")
    list_filter = ("criteria_set__product", "criteria_set__status")
    fields = ("criteria_set", "key", "label", "help", "order")
    inlines = [KnockOutConditionInline]


class ReferenceTableRowInline(_LockedInline):
    model = ReferenceTableRow
    fields = ("key", "value", "order")


@admin.register(ReferenceTable)
class ReferenceTableAdmin(_DeclarationAdmin):
    list_display = ("name", "label", "own_rows", "criteria_set")
    list_filter = ("criteria_set__product", "criteria_set__status")
    fields = ("criteria_set", "name", "label", "own_rows", "order")
    inlines = [ReferenceTableRowInline]


# --------------------------------------------------------------------------- rating and regions


class _CsvImportAdmin(AuditedConfigAdmin):
    """An "Import CSV" page and an "Export as CSV" action over one of eligibility.rating's
    import and export functions (the API calls the same ones)."""

    # Set by each subclass: staticmethod(rating.<thing>_import / _export) and a file name.
    csv_import: Callable[..., rating.ImportReport]
    csv_export: Callable[[int | None], str]
    csv_filename = ""
    import_title = import_heading = import_columns = ""  # shown on the import page
    change_list_template = "admin/eligibility/csv_change_list.html"
    actions = ["export_csv"]

    @admin.action(description=gettext_lazy("Export as CSV"))
    def export_csv(self, request, queryset):
        years = sorted(set(queryset.values_list("year", flat=True)))
        body = "".join(
            self.csv_export(y) if i == 0 else self.csv_export(y).split("\n", 1)[1] for i, y in enumerate(years)
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name)] + super().get_urls()

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
                report = self.csv_import(text, actor=request.user)
                if report.ok:
                    self.message_user(
                        request,
                        _("Imported: %(created)s new rows, %(updated)s updated.")
                        % {"created": report.created, "updated": report.updated},
                        messages.SUCCESS,
                    )
                    opts = self.model._meta
                    return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
                errors = [str(e) for e in report.errors or []]
        return render(
            request,
            "admin/eligibility/csv_import.html",
            {
                **self.admin_site.each_context(request),
                "errors": errors,
                "opts": self.model._meta,
                "import_title": self.import_title,
                "import_heading": self.import_heading,
                "import_columns": self.import_columns,
            },
        )


@admin.register(ScarceProfession)
class ScarceProfessionAdmin(_OccupationSearch, _CsvImportAdmin):
    list_display = ("year", "occupation", "sector", "priority")
    list_filter = ("year", "sector", "priority")
    search_fields = ("occupation__code",)
    occupation_path = "occupation_id"
    autocomplete_fields = ("occupation",)
    csv_import = staticmethod(rating.rating_import)
    csv_export = staticmethod(rating.rating_export)
    csv_filename = "scarce-professions.csv"
    import_title = gettext_lazy("Import the scarce-professions rating")
    import_heading = gettext_lazy("Import the scarce-professions rating (CSV)")
    import_columns = gettext_lazy(
        "Columns: isco_code, year, sector, priority (1 = most needed, 3 = least). "
        "Existing rows for the same code and year are updated."
    )


@admin.register(RegionYear)
class RegionYearAdmin(_CsvImportAdmin):
    list_display = ("region", "year", "labour_deficient")
    list_editable = ("labour_deficient",)
    list_filter = ("year", "labour_deficient")
    csv_import = staticmethod(rating.region_years_import)
    csv_export = staticmethod(rating.region_years_export)
    csv_filename = "labour-deficient-regions.csv"
    import_title = gettext_lazy("Import the regions' labour-deficient flags")
    import_heading = gettext_lazy("Import the regions' yearly labour-deficient flags (CSV)")
    import_columns = gettext_lazy(
        "Columns: region (ISO 3166-2 code, e.g. KZ-10), year, labour_deficient (true or false). "
        "Existing rows for the same region and year are updated. Export a year to get a complete file to edit."
    )


@admin.register(ImpactReport)
class ImpactReportAdmin(AuditedConfigAdmin):
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

        result = obj.result or {}
        # Outcomes as words, never the engine's codes (pass, fail, needs_more_information).
        outcomes = [{**row, "label": outcome_display(row["status"])} for row in result.get("outcomes", [])]
        changes = [
            {"label": " → ".join(outcome_display(s) for s in key.split("->")), "count": count}
            for key, count in result.get("flip_counts", {}).items()
        ]
        flips = [
            {**f, "old_status": outcome_display(f["old_status"]), "new_status": outcome_display(f["new_status"])}
            for f in result.get("flips", [])
        ]
        return render_to_string(
            "admin/eligibility/impactreport/summary.html",
            {"report": obj, "outcomes": outcomes, "changes": changes, "flips": flips},
        )


# --- Quotas (issue 6) -------------------------------------------------------------------
from eligibility.models import AllocationRound, Quota  # noqa: E402


@admin.register(Quota)
class QuotaAdmin(AuditedConfigAdmin):
    list_display = ("product", "year", "scope", "places", "used")
    list_filter = ("product", "year", "sector")
    # `used` moves only with approvals (applications.casework.quotas.quota_consume).
    readonly_fields = ("used",)
    list_select_related = ("region",)

    @admin.display(description=gettext_lazy("sector, region or both"), ordering="sector")
    def scope(self, obj: Quota) -> str:
        return obj.scope_display


@admin.register(AllocationRound)
class AllocationRoundAdmin(AuditedConfigAdmin):
    """Rounds are run from the quota page (they move cases); the admin lists them."""

    list_display = ("created_at", "product", "year", "sector", "region", "places_released", "cases_moved")
    list_display += ("cut_off_score",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
