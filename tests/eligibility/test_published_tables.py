"""Real published points tests encoded as criteria sets, checked against worked examples.

Canada: IRCC, "Comprehensive Ranking System (CRS) criteria – Express Entry" (single applicant).
Japan: Immigration Services Agency, Highly Skilled Professional points table, column ロ.
Sources and version notes are in each fixture's ``meta``. Totals below are worked by hand
from the official tables (line by line in the comments).
"""

import pytest

from tests.eligibility.engine_helpers import build, fixture


def clb(level: int, prefix: str = "fol") -> dict[str, int]:
    return {f"{prefix}_{a}": level for a in ("speaking", "listening", "reading", "writing")}


CRS_EXAMPLES = [
    (
        "young master's graduate abroad",
        {"age": 29, "education": "masters", **clb(9), "canadian_work_years": 0, "foreign_work_years": 3},
        # core 110 + 135 + 4×31 = 369; transferability: education×language 50, foreign work×language 50 = 100
        469,
        {"core": 369, "transferability": 100, "additional": 0},
    ),
    (
        "doctor with Canadian experience, French and a sibling: both 50-point groups capped",
        {
            "age": 30,
            "education": "doctoral",
            **clb(10),
            **clb(9, "sol"),
            "canadian_work_years": 2,
            "foreign_work_years": 3,
            "sibling_in_canada": True,
            "french_min_nclc": 9,
            "english_min_clb": 10,
        },
        # core 105 + 150 + 4×34 + 4×6 + 53 = 468; transferability: education 50+50 -> 50, foreign 50+50 -> 50;
        # additional: sibling 15 + French NCLC 7+ with English CLB 5+ 50 = 65
        633,
        {"core": 468, "transferability": 100, "additional": 65},
    ),
    (
        "bachelor's, mixed language scores, Canadian study",
        {
            "age": 35,
            "education": "bachelors",
            "fol_speaking": 8,
            "fol_listening": 8,
            "fol_reading": 7,
            "fol_writing": 9,
            "canadian_work_years": 1,
            "foreign_work_years": 2,
            "canadian_education": "three_year_or_more",
        },
        # core 77 + 120 + (23+23+17+31) + 40 = 331; transferability 13+13 + 13+13 = 52; additional 30
        413,
        {"core": 331, "transferability": 52, "additional": 30},
    ),
    (
        "tradesperson with a provincial nomination",
        {
            "age": 45,
            "education": "secondary",
            **clb(6),
            "canadian_work_years": 0,
            "foreign_work_years": 5,
            "certificate_of_qualification": True,
            "provincial_nomination": True,
        },
        # core 0 + 30 + 4×9 = 66; transferability: certificate with CLB 5–6 = 25; additional 600
        691,
        {"core": 66, "transferability": 25, "additional": 600},
    ),
    (
        "all three transferability groups full: total cap of 100 applies",
        {
            "age": 25,
            "education": "masters",
            **clb(9),
            "canadian_work_years": 0,
            "foreign_work_years": 3,
            "certificate_of_qualification": True,
        },
        # core 369; transferability 50 + 50 + 50 = 150 -> 100
        469,
        {"core": 369, "transferability": 100, "additional": 0},
    ),
]


@pytest.mark.parametrize(("case", "facts", "total", "groups"), CRS_EXAMPLES, ids=[c[0] for c in CRS_EXAMPLES])
def test_canada_crs_worked_examples(case, facts, total, groups):
    ev = build(fixture("ca_crs_single.json"))
    result = ev.evaluate(facts)
    assert result.total == total
    assert {g: result.group(g).points for g in groups} == groups
    assert result.status == "pass"  # the CRS ranks; it has no pass mark
    assert result.missing_facts == [] and result.invalid_facts == []
    assert ev.score(facts) == (total, "pass")


def test_canada_crs_caps_report_what_was_lost():
    result = build(fixture("ca_crs_single.json")).evaluate(CRS_EXAMPLES[1][1])
    assert (result.group("transfer_education").raw_points, result.group("transfer_education").lost_to_cap) == (100, 50)
    assert result.line("education_canadian_work").lost_to_cap == 50
    assert result.line("education_language").lost_to_cap == 0
    capped = build(fixture("ca_crs_single.json")).evaluate(CRS_EXAMPLES[4][1])
    assert capped.group("transferability").raw_points == 150
    assert capped.line("certificate_language").lost_to_cap == 50


def test_canada_crs_maximum_is_1200():
    assert build(fixture("ca_crs_single.json")).max_total == 1200


@pytest.mark.parametrize(
    ("age", "points"),
    [(17, 0), (18, 99), (19, 105), (20, 110), (29, 110), (30, 105), (35, 77), (40, 50), (44, 6), (45, 0)],
)
def test_canada_crs_age_points(age, points):
    facts = {"age": age, "education": "secondary", **clb(3), "canadian_work_years": 0, "foreign_work_years": 0}
    assert build(fixture("ca_crs_single.json")).evaluate(facts).line("age").points == points


JP_EXAMPLES = [
    (
        "28-year-old master's holder with N1",
        {"age": 28, "degree": "master", "experience_years": 3, "annual_salary_yen": 6_000_000, "japanese_level": "n1"},
        # degree 20 + career 5 + salary (¥6M, under 30) 20 + age 15 + N1 15
        75,
        "pass",
    ),
    (
        "42-year-old bachelor's holder, long career, ¥8.5M",
        {"age": 42, "degree": "bachelor", "experience_years": 12, "annual_salary_yen": 8_500_000},
        # 10 + 20 + 30 + 0
        60,
        "fail",
    ),
    (
        "36-year-old doctor with research, licences and degrees in two fields",
        {
            "age": 36,
            "degree": "doctor",
            "multiple_degrees": True,
            "experience_years": 5,
            "annual_salary_yen": 7_200_000,
            "research_achievement": True,
            "national_qualifications": 2,
        },
        # 30 + 5 + 10 + salary (¥7M, 35–39) 25 + age 5 + research 15 + licences 10
        100,
        "pass",
    ),
    (
        "N2 does not count for a graduate of a Japanese university; SME with innovation support",
        {
            "age": 33,
            "degree": "bachelor",
            "experience_years": 7,
            "annual_salary_yen": 5_500_000,
            "japanese_level": "n2",
            "japanese_degree": True,
            "employer_innovation": "yes_sme",
        },
        # 10 + 15 + salary (¥5M, 30–34) 15 + age 10 + N2 0 + Japanese degree 10 + innovation SME 20
        80,
        "pass",
    ),
    (
        "40-year-old with ¥7.5M gets no salary points",
        {"age": 40, "degree": "master", "experience_years": 10, "annual_salary_yen": 7_500_000},
        # 20 + 20 + 0 + 0
        40,
        "fail",
    ),
    (
        "salary under ¥3M fails the minimum whatever the points",
        {
            "age": 29,
            "degree": "doctor",
            "experience_years": 10,
            "annual_salary_yen": 2_900_000,
            "japanese_level": "n1",
            "japanese_degree": True,
        },
        # 30 + 20 + 0 + 15 + 15 + 10 = 90, but the ¥3M minimum knocks it out
        90,
        "fail",
    ),
]


@pytest.mark.parametrize(("case", "facts", "total", "status"), JP_EXAMPLES, ids=[c[0] for c in JP_EXAMPLES])
def test_japan_highly_skilled_professional_worked_examples(case, facts, total, status):
    ev = build(fixture("jp_hsp_b.json"))
    result = ev.evaluate(facts)
    assert (result.total, result.status) == (total, status)
    assert ev.score(facts) == (total, status)


def test_japan_salary_knockout_is_reported_by_name():
    result = build(fixture("jp_hsp_b.json")).evaluate(JP_EXAMPLES[5][1])
    assert [k.label for k in result.failed_knockouts] == ["Annual salary of at least ¥3,000,000"]


def test_japan_hint_for_a_60_point_applicant_is_the_next_salary_band():
    result = build(fixture("jp_hsp_b.json")).evaluate(JP_EXAMPLES[1][1])
    salary = next(h for h in result.hints if h.factor == "annual_salary")
    assert (salary.facts, salary.gain) == ({"annual_salary_yen": "¥9,000,000 to under ¥10,000,000"}, 5)
