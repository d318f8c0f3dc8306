"""Public self-check: no account, nothing stored. Views stay thin: build the form from the
published criteria, run the engine, render the explanation."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from eligibility.definitions import definition_from_set
from eligibility.engine import CriteriaDefinition, Result
from eligibility.forms import facts_from_form, self_check_form
from eligibility.products import Product
from eligibility.services import evaluator_for, published_set


def _answer_text(definition: CriteriaDefinition, name: str, value: Any) -> str:
    spec = definition.fact_spec(name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if spec is not None and spec.choices is not None and spec.choice_labels:
        for choice, label in zip(spec.choices, spec.choice_labels, strict=True):
            if choice == value:
                return _(label)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _question(definition: CriteriaDefinition, name: str) -> str:
    spec = definition.fact_spec(name)
    return _(spec.label) if spec is not None and spec.label else name


def explain(result: Result, definition: CriteriaDefinition) -> dict[str, Any]:
    """Everything the result page shows, translated."""
    labels = {f.id: f.label for f in definition.factors}
    lines = [
        {
            "label": _(labels[line.factor]) if labels.get(line.factor) else line.factor,
            "answers": [_answer_text(definition, k, v) for k, v in line.facts.items()],
            "rule": _(line.rule) if line.rule else "",
            "points": line.points,
            "lost": line.lost_to_cap,
            "state": line.state,
            "bonus": line.bonus,
        }
        for line in result.lines
    ]
    hints = [
        {
            "label": _(labels[h.factor]) if labels.get(h.factor) else h.factor,
            "changes": [(_question(definition, k), _(v)) for k, v in h.facts.items()],
            "gain": h.gain,
        }
        for h in result.hints[:5]
    ]
    return {
        "status": result.status,
        "total": result.total,
        "pass_mark": result.pass_mark,
        "lines": lines,
        "failed": [_(k.label) for k in result.failed_knockouts],
        "unknown": [_(k.label) for k in result.knockouts if k.outcome == "unknown"],
        "missing": [_question(definition, n) for n in result.missing_facts],
        "invalid": [_question(definition, i.fact) for i in result.invalid_facts],
        "hints": hints,
    }


def _product_or_404(product: str) -> str:
    if product not in Product.values:
        raise Http404
    return product


@never_cache
def self_check_start(request: HttpRequest) -> HttpResponse:
    products = [{"value": p.value, "label": p.label, "open": published_set(p.value) is not None} for p in Product]
    return render(request, "eligibility/self_check_start.html", {"products": products})


@never_cache
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, product: str) -> HttpResponse:
    """Questions on GET; on POST the explained result. Answers are never saved."""
    cs = published_set(_product_or_404(product))
    if cs is None:
        raise Http404
    definition = definition_from_set(cs)
    form = self_check_form(definition, request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "product": Product(product), "criteria_set": cs}
    if request.method == "POST" and form.is_valid():
        result = evaluator_for(cs).evaluate(facts_from_form(form, definition))
        context["result"] = explain(result, definition)
        return render(request, "eligibility/self_check_result.html", context)
    return render(request, "eligibility/self_check_form.html", context, status=400 if form.is_bound else 200)
