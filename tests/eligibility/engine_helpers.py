"""Small builders for engine tests: a criteria dict with sensible defaults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eligibility.engine import CriteriaDefinition, Evaluator, compile_criteria

FIXTURES = Path(__file__).resolve().parents[2] / "eligibility" / "fixtures"


def criteria(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema": "eligibility.criteria/1",
        "code": "test",
        "title": "Test criteria",
        "pass_mark": None,
        "facts": [],
        "factors": [],
    }
    base.update(overrides)
    return base


def build(data: dict[str, Any], tables: dict[str, dict[str, Any]] | None = None) -> Evaluator:
    return compile_criteria(CriteriaDefinition.from_dict(data), tables)


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def age_bands() -> list[dict[str, Any]]:
    return [
        {"min": None, "max": 18, "points": 0},
        {"min": 18, "max": 25, "points": 10},
        {"min": 25, "max": 30, "points": 15},
        {"min": 30, "max": 40, "points": 8},
        {"min": 40, "max": None, "points": 0},
    ]
