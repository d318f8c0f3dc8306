"""The generated scorer gives exactly the generic evaluator's answer, on every input."""

import random
import sys
from pathlib import Path

import pytest

from tests.eligibility.engine_helpers import build, fixture

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_scoring import bench_definition, synthetic_facts  # noqa: E402

OCC = [f"{i:04d}" for i in range(1000, 1436)]
REGIONS = [f"KZ-{i}" for i in range(10, 30)]
HOSTILE = [None, "x", True, False, -1, 0, 2.5, float("nan"), float("inf"), 10**9, [], {}, "2211", 3.0]


def _mutate(facts: dict, rng: random.Random) -> dict:
    out = dict(facts)
    for _ in range(rng.randint(0, 2)):
        key = rng.choice(list(out))
        if rng.random() < 0.3:
            out.pop(key)
        else:
            out[key] = rng.choice(HOSTILE)
    return out


def _crs_facts(rng: random.Random) -> dict:
    f = {
        "age": rng.randint(16, 50),
        "education": rng.choice(["secondary", "one_year", "bachelors", "two_or_more", "masters", "doctoral"]),
        "canadian_work_years": rng.randint(0, 6),
        "foreign_work_years": rng.randint(0, 6),
        "certificate_of_qualification": rng.random() < 0.2,
        "french_min_nclc": rng.randint(0, 10),
        "english_min_clb": rng.randint(0, 10),
    }
    for a in ("speaking", "listening", "reading", "writing"):
        f[f"fol_{a}"] = rng.randint(3, 11)
    return f


def _jp_facts(rng: random.Random) -> dict:
    return {
        "age": rng.randint(20, 50),
        "degree": rng.choice(["none", "bachelor", "master", "doctor"]),
        "experience_years": rng.randint(0, 15),
        "annual_salary_yen": rng.randint(2_000_000, 12_000_000),
        "japanese_level": rng.choice(["none", "n2", "n1"]),
        "japanese_degree": rng.random() < 0.3,
        "national_qualifications": rng.randint(0, 3),
    }


CASES = {
    "crs": (lambda: build(fixture("ca_crs_single.json")), _crs_facts),
    "japan": (lambda: build(fixture("jp_hsp_b.json")), _jp_facts),
    "bench": (
        lambda: build(bench_definition(OCC, REGIONS)),
        lambda rng: synthetic_facts(1, OCC, REGIONS, seed=rng.randint(0, 10**6))[0],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_generated_scorer_matches_the_generic_path(case):
    make, facts_of = CASES[case]
    ev = make()
    assert ev._fast is not None
    rng = random.Random(case)
    fast_hits = 0
    for _ in range(3000):
        facts = facts_of(rng)
        if rng.random() < 0.3:
            facts = _mutate(facts, rng)
        fast = ev._fast(facts)
        generic = ev._score_generic(facts)
        if fast is not None:
            fast_hits += 1
            assert fast == generic, (facts, fast, generic)
        assert ev.score(facts) == generic
    assert fast_hits > 1500  # the happy path really is the common one


def test_non_dict_facts_take_the_generic_path():
    ev = build(fixture("jp_hsp_b.json"))
    assert ev.score(None) == (0, "needs_more_information")  # type: ignore[arg-type]
