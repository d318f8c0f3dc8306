"""Knock-out requirements fail an application whatever its points; unknown ones ask for facts."""

import pytest

from tests.eligibility.engine_helpers import build, criteria

# The Kandas Card shape: ethnic-Kazakh proof, a foreign citizenship, and either track.
KANDAS = criteria(
    pass_mark=10,
    facts=[
        {"name": "ethnic_kazakh_proof", "type": "boolean"},
        {"name": "citizenship", "type": "string"},
        {"name": "experience_years", "type": "number"},
        {"name": "business_turnover", "type": "number"},
        {"name": "bonus", "type": "integer", "default": 50},
    ],
    factors=[
        {"id": "bonus", "kind": "bands", "fact": "bonus", "bands": [{"min": None, "max": None, "points": 50}]},
    ],
    knockouts=[
        {
            "id": "ethnic_kazakh",
            "label": "Proof of Kazakh ethnicity",
            "condition": {"fact": "ethnic_kazakh_proof", "op": "is_true"},
        },
        {
            "id": "foreign_citizen",
            "label": "Holds a citizenship other than Kazakhstan's",
            "condition": {"fact": "citizenship", "op": "ne", "value": "KZ"},
        },
        {
            "id": "track",
            "label": "Professional track (5+ years) or business track (turnover 100,000+)",
            "condition": {
                "any": [
                    {"fact": "experience_years", "op": "gte", "value": 5},
                    {"fact": "business_turnover", "op": "gte", "value": 100000},
                ]
            },
        },
    ],
)


@pytest.mark.parametrize(
    ("facts", "status", "failed", "missing"),
    [
        ({"ethnic_kazakh_proof": True, "citizenship": "UZ", "experience_years": 6}, "pass", [], []),
        ({"ethnic_kazakh_proof": True, "citizenship": "CN", "business_turnover": 250000}, "pass", [], []),
        (
            {"ethnic_kazakh_proof": True, "citizenship": "CN", "experience_years": 1, "business_turnover": 500},
            "fail",
            ["track"],
            [],
        ),
        ({"ethnic_kazakh_proof": False, "citizenship": "MN", "experience_years": 9}, "fail", ["ethnic_kazakh"], []),
        ({"ethnic_kazakh_proof": True, "citizenship": "KZ", "experience_years": 9}, "fail", ["foreign_citizen"], []),
        # One track proven is enough: the other track's fact is not asked for.
        (
            {"ethnic_kazakh_proof": True, "citizenship": "UZ", "experience_years": 10, "business_turnover": None},
            "pass",
            [],
            [],
        ),
        # Neither track decided yet: both facts could settle it.
        (
            {"ethnic_kazakh_proof": True, "citizenship": "UZ", "experience_years": 2},
            "needs_more_information",
            [],
            ["business_turnover"],
        ),
        ({"citizenship": "UZ", "experience_years": 7}, "needs_more_information", [], ["ethnic_kazakh_proof"]),
        # A failed knock-out wins over missing facts elsewhere.
        (
            {"ethnic_kazakh_proof": False},
            "fail",
            ["ethnic_kazakh"],
            ["citizenship", "experience_years", "business_turnover"],
        ),
        ({"ethnic_kazakh_proof": True, "experience_years": 7}, "needs_more_information", [], ["citizenship"]),
    ],
)
def test_knockouts_with_either_or_tracks(facts, status, failed, missing):
    ev = build(KANDAS)
    result = ev.evaluate(facts)
    assert result.status == status
    assert [k.knockout for k in result.failed_knockouts] == failed
    assert result.missing_facts == missing
    assert result.total == 50  # points are still shown: the knock-out decides, not the total
    assert ev.score(facts)[1] == status


@pytest.mark.parametrize(
    ("condition", "value", "outcome"),
    [
        ({"op": "eq", "value": 1}, 1, "passed"),
        ({"op": "eq", "value": 1}, 1.0, "passed"),
        ({"op": "in", "value": [1, 2]}, 3, "failed"),
        ({"op": "not_in", "value": [1, 2]}, 3, "passed"),
        ({"op": "lt", "value": 3}, 2, "passed"),
        ({"op": "lte", "value": 3}, 3, "passed"),
        ({"op": "gt", "value": 3}, 3, "failed"),
    ],
)
def test_condition_operators(condition, value, outcome):
    data = criteria(
        facts=[{"name": "x", "type": "number"}],
        factors=[],
        knockouts=[{"id": "k", "label": "k", "condition": {"fact": "x", **condition}}],
    )
    assert build(data).evaluate({"x": value}).knockouts[0].outcome == outcome


def test_not_inverts_and_stays_unknown_when_the_fact_is_missing():
    data = criteria(
        facts=[{"name": "banned", "type": "boolean"}],
        factors=[],
        knockouts=[
            {"id": "k", "label": "Not on a ban list", "condition": {"not": {"fact": "banned", "op": "is_true"}}}
        ],
    )
    ev = build(data)
    assert ev.evaluate({"banned": False}).knockouts[0].outcome == "passed"
    assert ev.evaluate({"banned": True}).knockouts[0].outcome == "failed"
    assert ev.evaluate({}).knockouts[0].outcome == "unknown"


def test_present_requires_an_answer_and_fails_when_it_is_absent():
    data = criteria(
        facts=[{"name": "passport", "type": "string"}],
        factors=[],
        knockouts=[{"id": "k", "label": "Passport number given", "condition": {"fact": "passport", "op": "present"}}],
    )
    ev = build(data)
    assert ev.evaluate({"passport": "N123"}).status == "pass"
    assert ev.evaluate({}).status == "fail"
    assert ev.evaluate({"passport": 5}).status == "needs_more_information"  # invalid: cannot decide
