"""Pass, fail and needs-more-information against the pass mark, with missing facts."""

import pytest

from tests.eligibility.engine_helpers import age_bands, build, criteria

DATA = criteria(
    pass_mark=25,
    facts=[{"name": "age", "type": "integer"}, {"name": "phd", "type": "boolean"}],
    factors=[
        {"id": "age", "kind": "bands", "fact": "age", "bands": age_bands()},
        {"id": "phd", "kind": "boolean", "fact": "phd", "points_true": 12},
    ],
)


@pytest.mark.parametrize(
    ("facts", "status", "total", "bounds", "missing"),
    [
        ({"age": 26, "phd": True}, "pass", 27, (27, 27), []),
        ({"age": 26, "phd": False}, "fail", 15, (15, 15), []),
        ({"age": 26}, "needs_more_information", 15, (15, 27), ["phd"]),  # the answer decides
        ({"age": 45}, "fail", 0, (0, 12), ["phd"]),  # cannot reach 25 whatever the answer
        ({"phd": True}, "needs_more_information", 12, (12, 27), ["age"]),
        ({}, "needs_more_information", 0, (0, 27), ["age", "phd"]),
    ],
)
def test_status_uses_the_range_the_missing_facts_allow(facts, status, total, bounds, missing):
    ev = build(DATA)
    result = ev.evaluate(facts)
    assert (result.status, result.total, (result.total_min, result.total_max), result.missing_facts) == (
        status,
        total,
        bounds,
        missing,
    )
    assert ev.score(facts) == (total, status)


def test_ranking_only_set_passes_complete_facts_and_asks_for_missing_ones():
    ev = build({**DATA, "pass_mark": None})
    assert ev.evaluate({"age": 45, "phd": False}).status == "pass"
    assert ev.evaluate({"age": 45}).status == "needs_more_information"


def test_pass_mark_is_inclusive():
    ev = build({**DATA, "pass_mark": 27})
    assert ev.evaluate({"age": 26, "phd": True}).status == "pass"
