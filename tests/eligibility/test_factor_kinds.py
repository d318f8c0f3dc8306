"""Every factor kind, as tables of facts -> (points, rule that fired). No database."""

import pytest

from eligibility.engine.result import INVALID, MISSING, NOT_CLAIMED, SCORED
from tests.eligibility.engine_helpers import age_bands, build, criteria

AGE = {"name": "age", "type": "integer"}


@pytest.mark.parametrize(
    ("age", "points", "rule"),
    [
        (17, 0, "under 18"),
        (18, 10, "18 to under 25"),  # min is inclusive
        (24, 10, "18 to under 25"),
        (25, 15, "25 to under 30"),  # max is exclusive: 25 belongs to the next band
        (29, 15, "25 to under 30"),
        (30, 8, "30 to under 40"),
        (40, 0, "40 or more"),
        (99, 0, "40 or more"),
    ],
)
def test_numeric_bands_are_half_open(age, points, rule):
    ev = build(criteria(facts=[AGE], factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}]))
    line = ev.evaluate({"age": age}).line("age")
    assert (line.raw_points, line.rule, line.facts) == (points, rule, {"age": age})


def test_value_outside_bounded_bands_scores_zero_with_reason():
    ev = build(
        criteria(
            facts=[{"name": "years", "type": "number"}],
            factors=[{"id": "exp", "kind": "bands", "fact": "years", "bands": [{"min": 3, "max": 10, "points": 5}]}],
        )
    )
    line = ev.evaluate({"years": 1.5}).line("exp")
    assert (line.state, line.raw_points, line.rule) == (SCORED, 0, "outside every band")


EDU = {"name": "edu", "type": "string", "choices": ["school", "bachelor", "master", "phd"]}
EDU_FACTOR = {
    "id": "edu",
    "kind": "choices",
    "fact": "edu",
    "choices": [
        {"value": "bachelor", "points": 10, "label": "Bachelor's degree"},
        {"value": "master", "points": 20},
        {"value": "phd", "points": 30},
    ],
}


@pytest.mark.parametrize(
    ("value", "points", "rule"),
    [
        ("phd", 30, "phd"),
        ("master", 20, "master"),
        ("bachelor", 10, "Bachelor's degree"),
        ("school", 0, "no matching choice"),
    ],
)
def test_choices_map_values_to_points(value, points, rule):
    ev = build(criteria(facts=[EDU], factors=[EDU_FACTOR]))
    line = ev.evaluate({"edu": value}).line("edu")
    assert (line.raw_points, line.rule) == (points, rule)


@pytest.mark.parametrize(("value", "points"), [(True, 7), (False, 2)])
def test_boolean_factor_gives_points_for_true_and_false(value, points):
    ev = build(
        criteria(
            facts=[{"name": "offer", "type": "boolean"}],
            factors=[{"id": "offer", "kind": "boolean", "fact": "offer", "points_true": 7, "points_false": 2}],
        )
    )
    assert ev.evaluate({"offer": value}).total == points


RATING = {"2211": 1, "2221": 2, "7212": 3}
LOOKUP = criteria(
    facts=[{"name": "occupation", "type": "string"}],
    tables=[{"name": "scarce_professions"}],
    factors=[
        {
            "id": "scarce",
            "kind": "lookup",
            "fact": "occupation",
            "table": "scarce_professions",
            "choices": [
                {"value": 1, "points": 20, "label": "priority 1"},
                {"value": 2, "points": 10, "label": "priority 2"},
                {"value": 3, "points": 5, "label": "priority 3"},
            ],
        }
    ],
)


@pytest.mark.parametrize(
    ("code", "points", "rule"),
    [
        ("2211", 20, "priority 1"),
        ("2221", 10, "priority 2"),
        ("7212", 5, "priority 3"),
        ("9999", 0, "not in scarce_professions"),
    ],
)
def test_lookup_goes_through_the_reference_table(code, points, rule):
    ev = build(LOOKUP, tables={"scarce_professions": RATING})
    line = ev.evaluate({"occupation": code}).line("scarce")
    assert (line.raw_points, line.rule) == (points, rule)


def test_lookup_rows_given_at_compile_time_override_embedded_rows():
    data = criteria(**{**LOOKUP, "tables": [{"name": "scarce_professions", "rows": {"2211": 3}}]})
    assert build(data).evaluate({"occupation": "2211"}).total == 5
    assert build(data, tables={"scarce_professions": {"2211": 1}}).evaluate({"occupation": "2211"}).total == 20


MATRIX = criteria(
    facts=[{"name": "edu", "type": "string"}, {"name": "lang", "type": "integer"}],
    factors=[
        {
            "id": "edu_lang",
            "kind": "matrix",
            "rows": {
                "fact": "edu",
                "kind": "choices",
                "entries": [
                    {"key": "low", "values": ["school"]},
                    {"key": "mid", "values": ["bachelor", "college"]},
                    {"key": "high", "values": ["master", "phd"]},
                ],
            },
            "cols": {
                "fact": "lang",
                "kind": "bands",
                "entries": [
                    {"key": "weak", "min": None, "max": 7},
                    {"key": "good", "min": 7, "max": 9},
                    {"key": "strong", "min": 9, "max": None},
                ],
            },
            "cells": [
                {"row": "mid", "col": "good", "points": 13},
                {"row": "mid", "col": "strong", "points": 25},
                {"row": "high", "col": "good", "points": 25},
                {"row": "high", "col": "strong", "points": 50},
            ],
        }
    ],
)


@pytest.mark.parametrize(
    ("edu", "lang", "points", "rule"),
    [
        ("school", 10, 0, "school × 9 or more"),
        ("college", 7, 13, "bachelor, college × 7 to under 9"),
        ("bachelor", 9, 25, "bachelor, college × 9 or more"),
        ("phd", 8, 25, "master, phd × 7 to under 9"),
        ("master", 12, 50, "master, phd × 9 or more"),
        ("master", 6, 0, "master, phd × under 7"),
        ("unknown", 9, 0, "outside the table"),
    ],
)
def test_matrix_combines_two_facts(edu, lang, points, rule):
    line = build(MATRIX).evaluate({"edu": edu, "lang": lang}).line("edu_lang")
    assert (line.raw_points, line.rule, line.facts) == (points, rule, {"edu": edu, "lang": lang})


def test_derived_fact_takes_the_lowest_of_several_facts():
    data = criteria(
        facts=[{"name": n, "type": "integer"} for n in ("s", "l", "r", "w")],
        derived=[{"name": "clb_min", "op": "min", "of": ["s", "l", "r", "w"]}],
        factors=[
            {
                "id": "lang",
                "kind": "bands",
                "fact": "clb_min",
                "bands": [{"min": None, "max": 7, "points": 0}, {"min": 7, "max": None, "points": 9}],
            }
        ],
    )
    ev = build(data)
    assert ev.evaluate({"s": 9, "l": 9, "r": 7, "w": 8}).total == 9
    assert ev.evaluate({"s": 9, "l": 9, "r": 6, "w": 8}).total == 0
    missing = ev.evaluate({"s": 9, "l": 9, "r": 6})
    assert missing.line("lang").state == MISSING
    assert missing.missing_facts == ["w"]


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"age": "thirty"}, "expected a number"),
        ({"age": True}, "expected a number"),  # a bool is not a number here
        ({"age": 30.5}, "expected a whole number"),
        ({"age": float("nan")}, "expected a finite number"),
        ({"age": [30]}, "expected a number"),
        ({"age": {"years": 30}}, "expected a number"),
        ({"age": -1}, "below the minimum 0"),
    ],
)
def test_wrong_type_facts_are_listed_as_invalid_never_a_crash(facts, reason):
    ev = build(
        criteria(
            pass_mark=5,
            facts=[{**AGE, "minimum": 0}],
            factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}],
        )
    )
    result = ev.evaluate(facts)
    assert [(i.fact, i.reason) for i in result.invalid_facts] == [("age", reason)]
    assert result.line("age").state == INVALID
    assert result.status == "needs_more_information"
    assert ev.score(facts) == (0, "needs_more_information")
    result.to_dict()  # stays serialisable whatever was given


def test_facts_that_are_not_an_object_are_reported_not_raised():
    ev = build(criteria(facts=[AGE], factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}]))
    result = ev.evaluate(["age", 30])  # type: ignore[arg-type]
    assert result.invalid_facts[0].reason == "facts must be an object"
    assert result.missing_facts == ["age"]


def test_integral_float_counts_as_integer_and_string_choice_is_checked():
    ev = build(
        criteria(
            facts=[AGE, EDU], factors=[{"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()}, EDU_FACTOR]
        )
    )
    result = ev.evaluate({"age": 26.0, "edu": "dance school"})
    assert result.line("age").raw_points == 15
    assert [(i.fact, i.reason) for i in result.invalid_facts] == [("edu", "not one of the allowed values")]


def test_default_fills_an_absent_fact_and_bonus_without_fact_is_not_claimed():
    data = criteria(
        pass_mark=10,
        facts=[{"name": "sibling", "type": "boolean", "default": False}, {"name": "award", "type": "boolean"}, AGE],
        factors=[
            {"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()},
            {"id": "sibling", "kind": "boolean", "fact": "sibling", "points_true": 5},
            {"id": "award", "kind": "boolean", "fact": "award", "points_true": 10, "bonus": True},
        ],
    )
    result = build(data).evaluate({"age": 26})
    assert result.line("sibling").state == SCORED
    assert result.line("award").state == NOT_CLAIMED
    assert result.missing_facts == []
    assert (result.total, result.status) == (15, "pass")
