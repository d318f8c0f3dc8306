"""Bad definitions are refused with a message naming the factor (or group, fact, knock-out)."""

import pytest

from eligibility.engine import CriteriaDefinition, CriteriaError, compile_criteria, validate_definition
from tests.eligibility.engine_helpers import age_bands, criteria

AGE = {"name": "age", "type": "integer"}


def bands(*ranges):
    return {
        "id": "age",
        "kind": "bands",
        "fact": "age",
        "bands": [{"min": a, "max": b, "points": 1} for a, b in ranges],
    }


CASES = [
    (
        "overlap",
        criteria(facts=[AGE], factors=[bands((18, 30), (25, 40))]),
        "factor age",
        "bands 18 to under 30 and 25 to under 40 overlap",
    ),
    (
        "gap",
        criteria(facts=[AGE], factors=[bands((18, 25), (30, 40))]),
        "factor age",
        "gap between bands 18 to under 25 and 30 to under 40: 25 to under 30 has no band",
    ),
    ("two open ends", criteria(facts=[AGE], factors=[bands((None, 30), (None, 40))]), "factor age", "overlap"),
    ("empty band", criteria(facts=[AGE], factors=[bands((30, 30))]), "factor age", "is empty"),
    (
        "negative group cap",
        criteria(facts=[AGE], groups=[{"id": "core", "cap": -5}], factors=[]),
        "group core",
        "cap -5 is below zero",
    ),
    ("negative set cap", criteria(facts=[AGE], cap=-1, factors=[]), "criteria set", "cap -1 is below zero"),
    (
        "pass mark too high",
        criteria(
            pass_mark=16, facts=[AGE], factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}]
        ),
        "criteria set",
        "pass mark 16 is above the maximum attainable 15",
    ),
    (
        "pass mark above cap",
        criteria(
            pass_mark=11,
            cap=10,
            facts=[AGE],
            factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}],
        ),
        "criteria set",
        "above the maximum attainable 10",
    ),
    (
        "unknown fact",
        criteria(facts=[AGE], factors=[{"id": "salary", "kind": "bands", "fact": "salery", "bands": age_bands()}]),
        "factor salary",
        "reads unknown fact 'salery'",
    ),
    (
        "missing table",
        criteria(
            facts=[{"name": "occ", "type": "string"}],
            factors=[
                {
                    "id": "scarce",
                    "kind": "lookup",
                    "fact": "occ",
                    "table": "rating",
                    "choices": [{"value": 1, "points": 5}],
                }
            ],
        ),
        "factor scarce",
        "looks up table 'rating', which does not exist",
    ),
    (
        "unknown group",
        criteria(facts=[AGE], factors=[{**bands((0, 10)), "group": "nope"}]),
        "factor age",
        "group 'nope' does not exist",
    ),
    (
        "duplicate factor",
        criteria(facts=[AGE], factors=[bands((0, 10)), bands((0, 10))]),
        "factor age",
        "id is used twice",
    ),
    (
        "bands on text",
        criteria(facts=[{"name": "age", "type": "string"}], factors=[bands((0, 10))]),
        "factor age",
        "bands need a number fact",
    ),
    (
        "choice outside fact choices",
        criteria(
            facts=[{"name": "edu", "type": "string", "choices": ["a", "b"]}],
            factors=[{"id": "edu", "kind": "choices", "fact": "edu", "choices": [{"value": "c", "points": 1}]}],
        ),
        "factor edu",
        "value 'c' is not one of the choices of fact 'edu'",
    ),
    (
        "matrix cell with unknown row",
        criteria(
            facts=[AGE, {"name": "x", "type": "boolean"}],
            factors=[
                {
                    "id": "m",
                    "kind": "matrix",
                    "rows": {"fact": "age", "kind": "bands", "entries": [{"key": "young", "min": None, "max": 30}]},
                    "cols": {"fact": "x", "kind": "choices", "entries": [{"key": "yes", "values": [True]}]},
                    "cells": [{"row": "old", "col": "yes", "points": 3}],
                }
            ],
        ),
        "factor m",
        "cell names unknown row 'old'",
    ),
    (
        "knock-out on unknown fact",
        criteria(
            facts=[AGE],
            factors=[],
            knockouts=[{"id": "proof", "label": "p", "condition": {"fact": "proof", "op": "is_true"}}],
        ),
        "knock-out proof",
        "reads unknown fact 'proof'",
    ),
    (
        "group cycle",
        criteria(facts=[AGE], groups=[{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}], factors=[]),
        "group a",
        "loops back",
    ),
]


@pytest.mark.parametrize(("case", "data", "subject", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_definition_is_refused_naming_the_factor(case, data, subject, message):
    definition = CriteriaDefinition.from_dict(data)
    issues = validate_definition(definition)
    assert any(i.subject == subject and message in i.message for i in issues), issues
    with pytest.raises(CriteriaError) as err:
        compile_criteria(definition)
    assert subject in str(err.value)


def test_lookup_table_without_rows_is_refused_at_compile_naming_the_factor():
    data = criteria(
        facts=[{"name": "occ", "type": "string"}],
        tables=[{"name": "rating"}],
        factors=[
            {"id": "scarce", "kind": "lookup", "fact": "occ", "table": "rating", "choices": [{"value": 1, "points": 5}]}
        ],
    )
    definition = CriteriaDefinition.from_dict(data)
    assert validate_definition(definition) == []
    with pytest.raises(CriteriaError, match="factor scarce: table 'rating' has no rows loaded"):
        compile_criteria(definition)


def test_good_definition_has_no_issues():
    data = criteria(
        pass_mark=15, facts=[AGE], factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}]
    )
    assert validate_definition(CriteriaDefinition.from_dict(data)) == []
