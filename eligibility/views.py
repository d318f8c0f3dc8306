"""Public self-check: no account, nothing stored. Views stay thin: build the form from the
published criteria, run the engine, render the explanation."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_countries.data import COUNTRIES

from eligibility.definitions import definition_from_set
from eligibility.display import criteria_text, fact_question, hints_display, score_label_display, score_rule_display
from eligibility.engine import CriteriaDefinition, Result
from eligibility.forms import facts_from_form, self_check_form, self_check_questions
from eligibility.models import Region
from eligibility.occupations import occupation_label
from eligibility.products import Product
from eligibility.services import evaluator_for, products_with_published_set, published_set
from eligibility.signals import self_check_completed
from portal.countries import country_name_for


def _answer_text(definition: CriteriaDefinition, name: str, value: Any) -> str:
    """An answer as the visitor reads it back: labels and names, never a code."""
    spec = definition.fact_spec(name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "occupation_code" and isinstance(value, str):
        return occupation_label(value)
    if name == "citizenship" and isinstance(value, str) and value in COUNTRIES:
        return country_name_for(value)
    if name == "region" and isinstance(value, str):
        region = Region.objects.filter(pk=value).first()
        return region.name if region else value
    if spec is not None and spec.choices is not None and spec.choice_labels:
        for choice, label in zip(spec.choices, spec.choice_labels, strict=True):
            if choice == value:
                return criteria_text(label, definition.translations)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def explain(result: Result, definition: CriteriaDefinition) -> dict[str, Any]:
    """Everything the result page shows, translated."""
    labels = {f.id: f.label for f in definition.factors}
    tr = definition.translations
    lines = [
        {
            "label": score_label_display(labels.get(line.factor, ""), line.factor, tr),
            "answers": [_answer_text(definition, k, v) for k, v in line.facts.items()],
            "rule": score_rule_display(line.rule, tr),
            "points": line.points,
            "lost": line.lost_to_cap,
            "state": line.state,
            "bonus": line.bonus,
        }
        for line in result.lines
    ]
    hints = hints_display([asdict(h) for h in result.hints], definition)
    return {
        "status": result.status,
        "total": result.total,
        "pass_mark": result.pass_mark,
        "lines": lines,
        "failed": [criteria_text(k.label, tr) for k in result.failed_knockouts],
        "unknown": [criteria_text(k.label, tr) for k in result.knockouts if k.outcome == "unknown"],
        "missing": [fact_question(definition, n) for n in result.missing_facts],
        "invalid": [fact_question(definition, i.fact) for i in result.invalid_facts],
        "hints": hints,
    }


def _product_or_404(product: str) -> str:
    if product not in Product.values:
        raise Http404
    return product


@never_cache
def self_check_start(request: HttpRequest) -> HttpResponse:
    open_products = products_with_published_set()
    products = [{"value": p.value, "label": p.label, "open": p.value in open_products} for p in Product]
    return render(request, "eligibility/self_check_start.html", {"products": products})


@never_cache
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, product: str) -> HttpResponse:
    """One question per page, then "check your answers", then the explained result.

    Nothing is stored: earlier answers travel in hidden fields of each page (no session, no
    database row). ``?all=1`` shows every question on one page instead."""
    cs = published_set(_product_or_404(product))
    if cs is None:
        raise Http404
    definition = definition_from_set(cs)
    names = [spec.name for spec in self_check_questions(definition)]
    context: dict[str, Any] = {"product": Product(product), "criteria_set": cs, "steps": len(names)}
    data = request.POST if request.method == "POST" else None
    step = _int(request.POST.get("step")) if data is not None else None
    action = request.POST.get("action", "result") if data is not None else None

    if data is None and not request.GET.get("all"):
        step, action = 0, "show"
    if step is not None and action in ("show", "next", "back", "change") and 0 <= step <= len(names):
        carried = {n: v for n, v in (data or {}).items() if n in names}
        if action == "next" and step < len(names):
            form = self_check_form(definition, data, only=names[step])
            if not form.is_valid():
                return _question_page(request, context, form, step, carried, names, status=400)
            step += 1
        elif action == "back":
            step = max(0, step - 1)
        if step >= len(names):
            return _check_answers_page(request, context, definition, carried)
        # Unbound, with the earlier answer (if any) pre-filled: going back or changing an
        # answer shows no error before the visitor submits again.
        form = self_check_form(definition, only=names[step], initial={names[step]: carried.get(names[step])})
        return _question_page(request, context, form, step, carried, names)

    form = self_check_form(definition, data)
    context["form"] = form
    if data is not None and form.is_valid():
        result = evaluator_for(cs).evaluate(facts_from_form(form, definition))
        context["result"] = explain(result, definition)
        self_check_completed.send(sender=cs.product, product=cs.product)
        return render(request, "eligibility/self_check_result.html", context)
    return render(request, "eligibility/self_check_form.html", context, status=400 if form.is_bound else 200)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _question_page(
    request: HttpRequest,
    context: dict[str, Any],
    form: Any,
    step: int,
    carried: dict[str, str],
    names: list[str],
    status: int = 200,
) -> HttpResponse:
    field = form[names[step]]
    hidden = [(n, v) for n, v in carried.items() if n != names[step]]
    return render(
        request,
        "eligibility/self_check_question.html",
        {**context, "form": form, "field": field, "step": step, "number": step + 1, "hidden": hidden},
        status=status,
    )


def _check_answers_page(
    request: HttpRequest, context: dict[str, Any], definition: CriteriaDefinition, carried: dict[str, str]
) -> HttpResponse:
    form = self_check_form(definition, carried)
    form.is_valid()
    rows = []
    for i, spec in enumerate(self_check_questions(definition)):
        value = form.cleaned_data.get(spec.name) if spec.name not in form.errors else None
        shown = _answer_text(definition, spec.name, value) if value not in (None, "") else _("Not answered")
        rows.append({"step": i, "question": fact_question(definition, spec.name), "answer": shown})
    return render(
        request,
        "eligibility/self_check_answers.html",
        {**context, "rows": rows, "hidden": list(carried.items()), "form": form},
    )
