"""Group caps, nested caps and the whole-set cap, with points lost to each cap."""

import pytest

from tests.eligibility.engine_helpers import build, criteria


def flag(name: str, points: int, group: str | None = None) -> dict:
    f = {"id": name, "kind": "boolean", "fact": name, "points_true": points}
    if group:
        f["group"] = group
    return f


FACTS = [{"name": n, "type": "boolean", "default": False} for n in ("a", "b", "c", "d", "e")]
NESTED = criteria(
    facts=FACTS,
    groups=[
        {"id": "outer", "cap": 60},
        {"id": "left", "cap": 30, "parent": "outer"},
        {"id": "right", "cap": 40, "parent": "outer"},
    ],
    factors=[
        flag("a", 20, "left"),
        flag("b", 20, "left"),
        flag("c", 25, "right"),
        flag("d", 25, "right"),
        flag("e", 7),
    ],
    cap=100,
)


@pytest.mark.parametrize(
    ("facts", "total", "groups"),
    [
        # a+b = 40 -> left cap 30; c = 25; outer 55 (under 60); plus e.
        ({"a": True, "b": True, "c": True, "e": True}, 62, {"left": (40, 30), "right": (25, 25), "outer": (55, 55)}),
        # left 30 + right 50 -> 40; outer 70 -> 60.
        (
            {"a": True, "b": True, "c": True, "d": True},
            60,
            {"left": (40, 30), "right": (50, 40), "outer": (70, 60)},
        ),
        ({"a": True}, 20, {"left": (20, 20), "right": (0, 0), "outer": (20, 20)}),
    ],
)
def test_group_points_never_exceed_the_group_cap(facts, total, groups):
    result = build(NESTED).evaluate(facts)
    assert result.total == total
    for gid, (raw, capped) in groups.items():
        line = result.group(gid)
        assert (line.raw_points, line.points, line.lost_to_cap) == (raw, capped, raw - capped)


def test_points_lost_to_caps_are_charged_from_the_last_factor_up():
    result = build(NESTED).evaluate({"a": True, "b": True, "c": True, "d": True})
    lost = {line.factor: line.lost_to_cap for line in result.lines}
    # left: 10 over its cap -> taken from b; right: 10 over -> from d; outer: 10 over -> from d again.
    assert lost == {"a": 0, "b": 10, "c": 0, "d": 20, "e": 0}
    assert sum(line.points for line in result.lines) == result.total


def test_whole_set_cap_limits_the_total():
    data = criteria(facts=FACTS, factors=[flag("a", 70), flag("b", 50)], cap=100)
    result = build(data).evaluate({"a": True, "b": True})
    assert (result.total, result.set_lost_to_cap) == (100, 20)
    assert result.line("b").lost_to_cap == 20
    assert build(data).score({"a": True, "b": True}) == (100, "pass")


def test_cap_of_zero_silences_a_group():
    data = criteria(facts=FACTS, groups=[{"id": "off", "cap": 0}], factors=[flag("a", 10, "off"), flag("b", 5)])
    assert build(data).evaluate({"a": True, "b": True}).total == 5


def test_max_total_applies_every_cap():
    assert build(NESTED).max_total == 67
