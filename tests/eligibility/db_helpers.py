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


def submitted_application(owner: Any, product: str, answers: dict[str, Any], **fields: Any) -> Any:
    """A submitted application with ``answers`` in the applicant forms' format (every section
    marked completed), its state written as seeds do."""
    from applications import sections
    from applications.models import Application
    from applications.workflow import state_writes_for_seeding

    answers = {**answers, sections.PROGRESS_KEY: dict.fromkeys(answers, sections.COMPLETED)}
    with state_writes_for_seeding():
        return Application.objects.create(owner=owner, product=product, state="submitted", answers=answers, **fields)


def skills_answers(i: int) -> dict[str, Any]:
    """Varied Valuable Skills Visa answers as the forms store them; about half pass."""
    import datetime

    born = datetime.date.today().replace(day=1) - datetime.timedelta(days=365 * (25 + i % 30) + 40)
    return {
        "personal": {"date_of_birth": born.isoformat(), "citizenship": "IN"},
        "sector": {"sector": ["it", "science", "healthcare", "other"][i % 4]},
        "education": {"education_level": ["bachelor", "master", "doctorate"][i % 3]},
        "experience": {"years_experience": i % 12},
        "achievements": {"recognition": ["none", "national", "international"][i % 3]},
        "languages": {"kazakh": "none", "russian": "basic", "english": ["intermediate", "advanced", "native"][i % 3]},
    }


def skills_sector(i: int) -> str:
    return ["it", "science", "healthcare", "other"][i % 4]


def change_form_data(response: Any) -> dict[str, Any]:
    """POST data of an admin add/change page as rendered: the main form and every inline
    (management forms included), each field at its current value; edit and post it back."""
    data: dict[str, Any] = {}

    def put(form: Any) -> None:
        for name, field in form.fields.items():
            if getattr(field, "disabled", False):
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = "" if value is None else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data
