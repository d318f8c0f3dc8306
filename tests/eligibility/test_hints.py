"""'What would raise the score': nearest better rule per factor, gain after caps."""

from tests.eligibility.engine_helpers import age_bands, build, criteria

DATA = criteria(
    pass_mark=40,
    facts=[
        {"name": "age", "type": "integer", "improvable": False},
        {"name": "years", "type": "number"},
        {"name": "edu", "type": "string"},
        {"name": "award", "type": "boolean", "default": False},
    ],
    groups=[{"id": "extra", "cap": 12}],
    factors=[
        {"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()},
        {
            "id": "experience",
            "kind": "bands",
            "fact": "years",
            "bands": [
                {"min": 0, "max": 3, "points": 0},
                {"min": 3, "max": 5, "points": 5},
                {"min": 5, "max": 10, "points": 10},
                {"min": 10, "max": None, "points": 20},
            ],
        },
        {
            "id": "education",
            "kind": "choices",
            "fact": "edu",
            "choices": [
                {"value": "bachelor", "points": 10},
                {"value": "master", "points": 20},
                {"value": "phd", "points": 30},
            ],
        },
        {"id": "award", "kind": "boolean", "fact": "award", "points_true": 10, "group": "extra", "bonus": True},
    ],
)


def test_hints_name_the_nearest_higher_band_and_its_gain():
    result = build(DATA).evaluate({"age": 31, "years": 4, "edu": "bachelor"})
    hints = {h.factor: (h.target_rule, h.facts, h.gain) for h in result.hints}
    assert hints["experience"] == ("5 to under 10", {"years": "5 to under 10"}, 5)  # next band, not the top one
    assert hints["education"] == ("master", {"edu": "master"}, 10)
    assert hints["award"] == ("yes", {"award": "yes"}, 10)
    assert "age" not in hints  # nobody can change their age
    assert [h.gain for h in result.hints] == sorted((h.gain for h in result.hints), reverse=True)


def test_no_hint_for_a_factor_already_at_its_best():
    result = build(DATA).evaluate({"age": 31, "years": 12, "edu": "phd", "award": True})
    assert {h.factor for h in result.hints} == set()


def test_hint_gain_respects_caps():
    data = {**DATA, "groups": [{"id": "extra", "cap": 4}]}
    result = build(data).evaluate({"age": 31, "years": 12, "edu": "phd"})
    (hint,) = result.hints
    assert (hint.factor, hint.raw_gain, hint.gain) == ("award", 10, 4)


def test_matrix_hint_moves_only_the_improvable_axis():
    data = criteria(
        facts=[{"name": "age", "type": "integer", "improvable": False}, {"name": "salary", "type": "number"}],
        factors=[
            {
                "id": "salary",
                "kind": "matrix",
                "rows": {
                    "fact": "salary",
                    "kind": "bands",
                    "entries": [
                        {"key": "low", "min": 0, "max": 5},
                        {"key": "mid", "min": 5, "max": 8},
                        {"key": "high", "min": 8, "max": None},
                    ],
                },
                "cols": {
                    "fact": "age",
                    "kind": "bands",
                    "entries": [{"key": "young", "min": None, "max": 30}, {"key": "old", "min": 30, "max": None}],
                },
                "cells": [
                    {"row": "mid", "col": "young", "points": 10},
                    {"row": "high", "col": "young", "points": 20},
                    {"row": "high", "col": "old", "points": 20},
                ],
            }
        ],
    )
    (hint,) = build(data).evaluate({"age": 35, "salary": 6}).hints
    assert (hint.facts, hint.gain) == ({"salary": "8 or more"}, 20)
