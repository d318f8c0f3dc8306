"""How a criteria set's texts and the engine's score lines read on a page: in the page's
language, and never naming a table.

A set's texts (questions, factor, band and choice labels, requirements) are data of the set:
their translations come with it (``CriteriaDefinition.translations``, rows of
``LabelTranslation``), not from the code's message catalogs. ``criteria_text`` picks the page
language's wording, falling back as the portal does: Kazakh to Russian, then English.

The engine (plain Python, no translations) describes a lookup that found nothing as
"not in scarce_professions": the table's internal name. Every page that shows a score
(self-check result, applicant status, case page, API) passes its lines through here.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# A set's texts for a language without its own wording (the same chain as occupation titles).
FALLBACKS: dict[str, tuple[str, ...]] = {"kk": ("ru",)}

Translations = Mapping[str, Mapping[str, str]]


def criteria_text(text: str, translations: Translations | None) -> str:
    """One text of a criteria set in the page's language: its own translation, then the
    language's fallback, then English (a translation, else the text as the set wrote it)."""
    if not text:
        return ""
    given = (translations or {}).get(text) or {}
    language = (get_language() or "en").lower()
    for code in (language, *FALLBACKS.get(language, ()), "en"):
        if given.get(code):
            return given[code]
    return text


# The lookup tables criteria may read (eligibility/services.py loads them), as people say them.
TABLE_LABELS = {
    "scarce_professions": gettext_lazy("the list of scarce professions"),
}

_NOT_IN = re.compile(r"^not in (?P<table>[a-z_]+)$")
_NOT_SCORED = re.compile(r"^in (?P<table>[a-z_]+) but not scored$")
_RATED = re.compile(r"^a value rated (?P<what>.+) in (?P<table>[a-z_]+)$")
# The engine's own rule phrases that name no label of the set.
ENGINE_RULES = {
    "outside the table": gettext_lazy("outside the table"),
}
# A matrix factor's rule: its row's and its column's labels (eligibility.engine.evaluator).
_CELL = re.compile(r"^(?P<row>.+) × (?P<col>.+)$")


def table_label(name: str) -> str:
    return str(TABLE_LABELS.get(name, gettext_lazy("a reference list")))


def score_rule_display(rule: str, translations: Translations | None) -> str:
    """The engine's rule text in the page's language, with table names as words.

    A rule is a band or choice label of the set (translated with it) or one of the engine's
    own phrases about lookups."""
    if not rule:
        return ""
    if translations and rule in translations:
        return criteria_text(rule, translations)
    if match := _NOT_IN.match(rule):
        return _("not on %(table)s") % {"table": table_label(match["table"])}
    if match := _NOT_SCORED.match(rule):
        return _("on %(table)s, but not scored") % {"table": table_label(match["table"])}
    if match := _RATED.match(rule):
        return _("a value rated %(rating)s on %(table)s") % {
            "rating": criteria_text(match["what"], translations),
            "table": table_label(match["table"]),
        }
    if (match := _CELL.match(rule)) and translations and match["row"] in translations and match["col"] in translations:
        return f"{criteria_text(match['row'], translations)} × {criteria_text(match['col'], translations)}"
    if rule in ENGINE_RULES:
        return str(ENGINE_RULES[rule])
    return _(rule)


# The engine's three outcomes (eligibility.engine.result), as people say them.
OUTCOME_LABELS = {
    "pass": gettext_lazy("Passes"),
    "fail": gettext_lazy("Does not pass"),
    "needs_more_information": gettext_lazy("Needs more information"),
}


def outcome_display(status: str) -> str:
    """An engine outcome (pass, fail, needs more information) in the page's language."""
    return str(OUTCOME_LABELS.get(status, status))


def score_label_display(label: str, factor: str, translations: Translations | None) -> str:
    """A factor's label in the page's language (its id only if the criteria gave none)."""
    return criteria_text(label, translations) if label else factor


def fact_question(definition: Any, name: str) -> str:
    """The question a fact answers (the criteria's label), in the page's language."""
    spec = definition.fact_spec(name) if definition is not None else None
    return criteria_text(spec.label, definition.translations) if spec is not None and spec.label else name


def hints_display(hints: Iterable[Mapping[str, Any]], definition: Any, limit: int = 5) -> list[dict[str, Any]]:
    """The engine's "what would raise it" hints (``Hint`` as a dict, as a stored score keeps
    them) in words: the factor, each question with what it would need to be, and the gain."""
    labels = {f.id: f.label for f in definition.factors} if definition is not None else {}
    translations = definition.translations if definition is not None else None
    shown = []
    for hint in list(hints)[:limit]:
        factor = str(hint.get("factor", ""))
        facts = hint.get("facts") or {}
        shown.append(
            {
                "label": score_label_display(labels.get(factor) or str(hint.get("label", "")), factor, translations),
                "changes": [
                    (fact_question(definition, k), score_rule_display(str(v), translations)) for k, v in facts.items()
                ],
                "gain": hint.get("gain", 0),
            }
        )
    return shown
