"""Scoring with database reference tables, the score command and the rating CSV."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from eligibility.models import RegionYear, ScarceProfession
from eligibility.rating import rating_export, rating_import
from eligibility.services import evaluator_for
from tests.eligibility.db_helpers import kandas_facts, seed_set
from tests.eligibility.engine_helpers import FIXTURES

pytestmark = pytest.mark.django_db


def test_lookup_factors_read_the_rating_and_the_regions_flags_of_the_year():
    ScarceProfession.objects.create(occupation_id="2211", year=2026, sector="healthcare", priority=1)
    RegionYear.objects.create(region_id="KZ-59", year=2026, labour_deficient=True)
    RegionYear.objects.create(region_id="KZ-75", year=2026, labour_deficient=False)
    cs = seed_set("kandas_card")
    ev = evaluator_for(cs, year=2026)
    north = ev.evaluate(kandas_facts())
    assert north.line("scarce_profession").raw_points == 20
    assert north.line("labour_deficient_region").raw_points == 15
    assert north.group("bonuses").lost_to_cap == 5  # bonuses are capped at 30
    almaty = ev.evaluate(kandas_facts(region="KZ-75", occupation_code="9999"))
    assert almaty.line("labour_deficient_region").raw_points == 0
    assert almaty.line("scarce_profession").rule == "not in scarce_professions"


def test_score_command_prints_json_for_a_list_of_facts(tmp_path, capsys):
    facts = tmp_path / "facts.json"
    doctor = {"age": 29, "degree": "doctor", "experience_years": 3, "annual_salary_yen": 10_000_000}
    facts.write_text(json.dumps([doctor, {"age": "?"}]))
    call_command("score", str(FIXTURES / "jp_hsp_b.json"), str(facts))
    out = json.loads(capsys.readouterr().out)
    assert [(r["total"], r["status"]) for r in out] == [(90, "pass"), (0, "needs_more_information")]
    assert out[1]["invalid_facts"][0]["fact"] == "age"


def test_score_command_with_a_criteria_set_id_and_one_object(tmp_path, capsys):
    cs = seed_set("kandas_card")
    facts = tmp_path / "one.json"
    facts.write_text(json.dumps(kandas_facts(citizenship="KZ")))
    call_command("score", str(cs.pk), str(facts), "--brief")
    assert json.loads(capsys.readouterr().out) == {"total": 65, "status": "fail"}


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not valid JSON"), (json.dumps({"schema": "x"}), "'code' is a required property")],
)
def test_score_command_reports_bad_files_clearly(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    facts = tmp_path / "facts.json"
    facts.write_text("{}")
    with pytest.raises(CommandError, match=message):
        call_command("score", str(bad), str(facts))


def test_export_and_import_commands_round_trip(tmp_path, capsys):
    cs = seed_set("skills_visa")
    out = tmp_path / "set.json"
    call_command("export_criteria", str(cs.pk), "--output", str(out))
    call_command("import_criteria", str(out))
    pk = int(capsys.readouterr().out.split()[0])
    call_command("export_criteria", str(pk))
    again = json.loads(capsys.readouterr().out)
    first = json.loads(out.read_text())
    assert first.pop("version") != again.pop("version")
    assert first == again


def test_rating_csv_import_reports_every_bad_row_and_writes_nothing():
    text = (
        "isco_code,year,sector,priority\n"
        "2211,2026,healthcare,1\n"
        "22,2026,healthcare,1\n"
        "2512,1999,it,4\n"
        "2512,2026,magic,2\n"
    )
    report = rating_import(text)
    assert not report.ok
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "isco_code"),
        (4, "year"),
        (4, "priority"),
        (5, "sector"),
    ]
    assert not ScarceProfession.objects.exists()


def test_rating_csv_round_trip_and_yearly_versions_kept():
    rating_import("isco_code,year,sector,priority\n2211,2025,healthcare,2\n0110,2026,other,3\n2211,2026,healthcare,1\n")
    assert ScarceProfession.objects.count() == 3
    with translation.override("en"):
        exported = rating_export(2026)
    assert exported == (
        "isco_code,year,sector,priority,title\n"
        "0110,2026,other,3,Commissioned armed forces officers\n"
        "2211,2026,healthcare,1,Generalist medical practitioners\n"
    )
    assert rating_import(exported).updated == 2, "the export imports back; its title column is ignored"
    report = rating_import("isco_code,year,sector,priority\n2211,2026,healthcare,3\n")
    assert (report.created, report.updated) == (0, 1)
    assert ScarceProfession.objects.get(occupation_id="2211", year=2025).priority == 2


def test_rating_csv_missing_column_is_named():
    report = rating_import("code,year\n2211,2026\n")
    assert {e.field for e in report.errors} == {"isco_code", "sector", "priority"}


def test_a_new_rating_reaches_a_published_set_without_a_restart():
    cs = seed_set("kandas_card")
    facts = kandas_facts(region="KZ-75")
    before = evaluator_for(cs, year=2026).evaluate(facts).line("scarce_profession").raw_points
    rating_import("isco_code,year,sector,priority\n2211,2026,healthcare,2\n")
    after = evaluator_for(cs, year=2026).evaluate(facts).line("scarce_profession").raw_points
    assert (before, after) == (0, 10)


def test_seed_criteria_publishes_both_example_sets_once(capsys):
    from eligibility.models import CriteriaSet

    call_command("seed_criteria")
    call_command("seed_criteria")
    sets = CriteriaSet.objects.order_by("product")
    assert [(s.product, s.status, s.is_example) for s in sets] == [
        ("kandas_card", "published", True),
        ("skills_visa", "published", True),
    ]
    assert "skipped" in capsys.readouterr().out


def test_rating_csv_command_imports_and_exports(tmp_path, capsys):
    path = tmp_path / "rating.csv"
    path.write_text("isco_code,year,sector,priority\n2512,2026,it,1\n")
    call_command("rating_csv", "--import", str(path))
    assert "created 1" in capsys.readouterr().out
    call_command("rating_csv", "--year", "2026")
    exported = capsys.readouterr().out.splitlines()
    assert exported[0] == "isco_code,year,sector,priority,title"
    assert exported[1].startswith("2512,2026,it,1,") and len(exported) == 2
    path.write_text("isco_code,year,sector,priority\n2512,2026,it,9\n")
    # The message is translated: name the language rather than inherit one an earlier test left active.
    with translation.override("en"), pytest.raises(CommandError, match="Row 2, priority: must be 1, 2 or 3"):
        call_command("rating_csv", "--import", str(path))
