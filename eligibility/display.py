"""How the engine's score lines read on a page: translated, and never naming a table.

The engine (plain Python, no translations) describes a lookup that found nothing as
"not in scarce_professions": the table's internal name. Every page that shows a score
(self-check result, applicant status, case page) passes its lines through here.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The lookup tables criteria may read (eligibility/services.py loads them), as people say them.
TABLE_LABELS = {
    "scarce_professions": gettext_lazy("the list of scarce professions"),
}

_NOT_IN = re.compile(r"^not in (?P<table>[a-z_]+)$")
_NOT_SCORED = re.compile(r"^in (?P<table>[a-z_]+) but not scored$")
_RATED = re.compile(r"^a value rated (?P<what>.+) in (?P<table>[a-z_]+)$")


def table_label(name: str) -> str:
    return str(TABLE_LABELS.get(name, gettext_lazy("a reference list")))


def score_rule_display(rule: str) -> str:
    """The engine's rule text in the page's language, with table names as words."""
    if not rule:
        return ""
    if match := _NOT_IN.match(rule):
        return _("not on %(table)s") % {"table": table_label(match["table"])}
    if match := _NOT_SCORED.match(rule):
        return _("on %(table)s, but not scored") % {"table": table_label(match["table"])}
    if match := _RATED.match(rule):
        return _("a value rated %(rating)s on %(table)s") % {
            "rating": _(match["what"]),
            "table": table_label(match["table"]),
        }
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


def score_label_display(label: str, factor: str = "") -> str:
    """A factor's label in the page's language (its id only if the criteria gave none)."""
    return _(label) if label else factor


def fact_question(definition: Any, name: str) -> str:
    """The question a fact answers (the criteria's label), in the page's language."""
    spec = definition.fact_spec(name) if definition is not None else None
    return _(spec.label) if spec is not None and spec.label else name


def hints_display(hints: Iterable[Mapping[str, Any]], definition: Any, limit: int = 5) -> list[dict[str, Any]]:
    """The engine's "what would raise it" hints (``Hint`` as a dict, as a stored score keeps
    them) in words: the factor, each question with what it would need to be, and the gain."""
    labels = {f.id: f.label for f in definition.factors} if definition is not None else {}
    shown = []
    for hint in list(hints)[:limit]:
        factor = str(hint.get("factor", ""))
        facts = hint.get("facts") or {}
        shown.append(
            {
                "label": score_label_display(labels.get(factor) or str(hint.get("label", "")), factor),
                "changes": [(fact_question(definition, k), score_rule_display(str(v))) for k, v in facts.items()],
                "gain": hint.get("gain", 0),
            }
        )
    return shown
