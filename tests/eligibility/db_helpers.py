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


def submitted_application(owner: Any, product: str, facts: dict[str, Any], **fields: Any) -> Any:
    """A submitted application whose answers hold ``facts`` (state written as seeds do)."""
    from applications.models import Application
    from applications.workflow import state_writes_for_seeding

    with state_writes_for_seeding():
        return Application.objects.create(
            owner=owner, product=product, state="submitted", answers={"section": facts}, **fields
        )


def skills_facts(i: int) -> dict[str, Any]:
    """Varied Valuable Skills Visa answers: about half pass the example pass mark of 50."""
    return {
        "sector": ["it", "science", "healthcare", "other"][i % 4],
        "age": 25 + i % 30,
        "education": ["bachelor", "master", "doctorate"][i % 3],
        "experience_years": i % 12,
        "achievements": ["none", "national", "international"][i % 3],
        "english_level": ["b1", "b2", "c1"][i % 3],
    }
