"""Builders for eligibility tests that use the database."""

from __future__ import annotations

from typing import Any

from eligibility.models import CriteriaSet
from eligibility.services import criteria_set_import, criteria_set_publish
from tests.eligibility.engine_helpers import fixture


def seed_set(product: str = "kandas_card", *, publish: bool = True, name: str | None = None) -> CriteriaSet:
    data = fixture(name or f"{product}_example.json")
    cs = criteria_set_import(data=data, actor=None, product=product)
    return criteria_set_publish(criteria_set=cs, actor=None) if publish else cs


def kandas_facts(**overrides: Any) -> dict[str, Any]:
    facts = {
        "ethnic_kazakh_proof": True,
        "citizenship": "UZ",
        "track": "professional",
        "age": 34,
        "education": "master",
        "experience_years": 6,
        "occupation_code": "2211",
        "region": "KZ-59",
    }
    facts.update(overrides)
    return facts
