"""Pieces both built-in products share: task-list groups, common facts, answer scales."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from applications.products.base import Fact

ABOUT_YOU = _("About you")
YOUR_CASE = _("Your case")
ARRIVAL = _("Coming to Kazakhstan")
FINISH = _("Documents and declarations")

# Self-assessed language levels (forms.LANGUAGE_LEVELS) to the CEFR scale the criteria use.
# "intermediate" (B1–B2) maps to the lower bound, B1: the portal cannot assume more.
CEFR = {"none": "none", "basic": "a2", "intermediate": "b1", "advanced": "c1", "native": "c1"}


def age_on(born: str | None, on: date) -> int | None:
    """Completed years between an ISO birth date and ``on``; None if the date is missing or bad."""
    try:
        birth = date.fromisoformat(born) if born else None
    except ValueError:
        return None
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _formatted(template: str | Promise, values: dict[str, Any]) -> str:
    return str(template) % values


_formatted_lazy = lazy(_formatted, str)


def lazy_format(template: str | Promise, **values: Any) -> Any:
    """``template % values`` translated when shown, not when the module loads (terms are
    declared once and put into the sentence, so the sentence cannot drift from the term)."""
    return _formatted_lazy(template, values)


# Facts every application produces, whatever the product.
COMMON_FACTS: tuple[Fact, ...] = (
    Fact("age", lambda d: age_on(d.section("personal").get("date_of_birth"), d.on)),
    Fact("citizenship", lambda d: d.section("personal").get("citizenship")),
    Fact("occupation_code", lambda d: d.occupation_code or None),
    Fact("region", lambda d: d.region_id),
)
