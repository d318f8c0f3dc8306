"""The public self-check form, built from the facts a published criteria set declares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django_countries import countries

from eligibility.display import Translations, criteria_text
from eligibility.engine import CriteriaDefinition, FactSpec
from eligibility.models import Region
from eligibility.occupations import occupation_choices
from eligibility.products import produced_facts
from portal.countries import country_code_from
from portal.forms import NamedErrorsMixin

RADIO_LIMIT = 6


def needed_facts(definition: CriteriaDefinition) -> set[str]:
    """Facts without which the result would be incomplete: read by a knock-out or by a
    non-bonus factor, and without a default."""
    derived = {d.name: d.of for d in definition.derived}
    names: set[str] = set()
    for factor in definition.factors:
        if not factor.bonus:
            names.update(factor.facts())
    for ko in definition.knockouts:
        names.update(ko.condition.facts())
    expanded: set[str] = set()
    for n in names:
        expanded.update(derived.get(n, (n,)))
    return {n for n in expanded if (spec := definition.fact_spec(n)) is not None and spec.default is None}


class CountryField(forms.ChoiceField):
    """A country from a list (a native select that ``select-search.js`` enhances with search).

    The list names countries in the page language. A code or a name typed in any portal
    language (a script, an older bookmark, a browser filling the field) is read as the country
    it names, so "Kazakhstan", "Казахстан" or "kz" is KZ; anything else ("5", "XX") is refused
    with an error that names the question."""

    def __init__(self, *, question: str, **kwargs: Any) -> None:
        attrs = {"data-module": "select-search", "data-results-text": _("{count} countries found")}
        kwargs.setdefault("widget", forms.Select(attrs=attrs))
        super().__init__(choices=[("", "—"), *countries], **kwargs)
        self.error_messages["required"] = _("Answer the question: %(question)s") % {"question": question}
        self.error_messages["invalid_choice"] = _("Choose a country from the list for: %(question)s") % {
            "question": question
        }

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return country_code_from(text) or text if text else text


def _field(spec: FactSpec, required: bool, translations: Translations) -> forms.Field:
    label = criteria_text(spec.label, translations) or spec.name
    common: dict[str, Any] = {
        "label": label,
        "help_text": criteria_text(spec.help, translations),
        "required": required,
        "error_messages": {"required": _("Answer the question: %(question)s") % {"question": label}},
    }
    if spec.type == "boolean":
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: v == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if spec.choices is not None:
        labels = spec.choice_labels or tuple(str(c) for c in spec.choices)
        choices = [(str(c), criteria_text(lb, translations)) for c, lb in zip(spec.choices, labels, strict=True)]
        if len(choices) <= RADIO_LIMIT:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if spec.name == "occupation_code":
        # 436 titles: the same search-as-you-type over the select as the country question.
        attrs = {"data-module": "select-search", "data-results-text": _("{count} occupations found")}
        return forms.ChoiceField(choices=[("", "—"), *occupation_choices()], widget=forms.Select(attrs=attrs), **common)
    if spec.name == "citizenship":
        return CountryField(label=label, question=label, help_text=common["help_text"], required=required)
    if spec.name == "region":
        return forms.ChoiceField(choices=[("", "—"), *[(r.code, r.name) for r in Region.objects.all()]], **common)
    number_errors = {"invalid": _("Enter a number for: %(question)s") % {"question": label}}
    common["error_messages"].update(number_errors)
    attrs = {"inputmode": "numeric", "class": "input--width-10"}
    if spec.type == "integer":
        return forms.IntegerField(
            min_value=spec.minimum, max_value=spec.maximum, widget=forms.TextInput(attrs=attrs), **common
        )
    if spec.type == "number":
        return forms.FloatField(
            min_value=spec.minimum,
            max_value=spec.maximum,
            widget=forms.TextInput(attrs={**attrs, "inputmode": "decimal"}),
            **common,
        )
    return forms.CharField(max_length=100, **common)


def self_check_questions(definition: CriteriaDefinition) -> tuple[FactSpec, ...]:
    """The questions of the self-check: the set's declared facts that the product's application
    produces. A question the application never asks would offer points no applicant can earn
    (publishing already refuses a factor that reads such a fact; an unread declaration stays out)."""
    produced = produced_facts(definition.product)
    return tuple(spec for spec in definition.facts if produced is None or spec.name in produced)


def self_check_form(
    definition: CriteriaDefinition, data: Any = None, only: str | None = None, initial: dict[str, Any] | None = None
) -> forms.Form:
    """The whole questionnaire, or (``only``) the one question of a step page."""
    needed = needed_facts(definition)
    fields = {
        spec.name: _field(spec, spec.name in needed, definition.translations)
        for spec in self_check_questions(definition)
        if only is None or spec.name == only
    }
    form_class = type("SelfCheckForm", (NamedErrorsMixin, forms.Form), fields)
    return form_class(data, initial=initial)


def facts_from_form(form: forms.Form, definition: CriteriaDefinition) -> dict[str, Any]:
    """Cleaned answers as engine facts (choices back to their declared type; blanks left out)."""
    facts: dict[str, Any] = {}
    for spec in self_check_questions(definition):
        value = form.cleaned_data.get(spec.name)
        if value in (None, ""):
            continue
        if spec.choices is not None:
            value = next((c for c in spec.choices if str(c) == value), value)
        if spec.type == "integer" and isinstance(value, float):
            value = int(value)
        if spec.name == "citizenship" and isinstance(value, str):
            value = value.strip().upper()
        facts[spec.name] = value
    return facts
