"""Importing labour-market data: every row validated, nothing partial, versioned and audited."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from eligibility.labour_market.imports import COLUMNS, labour_market_import
from eligibility.labour_market.models import LabourMarketImport, LabourMarketIndicator
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = [
    ["2024", "KZ-10", "2221", "120", "30", "40", "5000", "350000"],
    ["2025", "100000000", "2221", "150", "60", "30", "5200", "390000"],  # region by KATO code
]


def _csv(rows, header=COLUMNS) -> bytes:
    return ("\n".join(",".join(r) for r in [header, *rows]) + "\n").encode()


def test_a_good_csv_becomes_version_one_with_its_hash_and_an_audit_event(criteria_admin):
    report = labour_market_import(_csv(GOOD), file_name="lm.csv", actor=criteria_admin)
    assert report.ok
    imp = report.data_import
    assert (imp.version, imp.row_count, imp.imported_by, len(imp.sha256)) == (1, 2, criteria_admin, 64)
    assert set(LabourMarketIndicator.objects.values_list("region_id", "year")) == {("KZ-10", 2024), ("KZ-10", 2025)}
    event = AuditEvent.objects.get(action="labour_market.import")
    assert event.actor == criteria_admin and event.snapshot["sha256"] == imp.sha256
    assert labour_market_import(_csv(GOOD), file_name="again.csv").data_import.version == 2


def test_xlsx_is_read_with_numbers_as_cells_and_the_leading_zero_restored():
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append([2025, "KZ-75", 110, 3, 1, 2, 50, 300000])  # 0110 typed as a number
    sheet.append([2025, "KZ-75", "2221", 10.0, 2, 3, 100, 400000])
    sheet.append([None] * 8)  # a trailing blank row
    buffer = io.BytesIO()
    book.save(buffer)
    report = labour_market_import(buffer.getvalue(), file_name="lm.xlsx")
    assert report.ok, report.errors
    assert set(LabourMarketIndicator.objects.values_list("occupation_id", flat=True)) == {"0110", "2221"}


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["2023", "KZ-10", "9999", "1", "0", "1", "1", "1"], "isco_code"),
        (["2023", "KZ-99", "2221", "1", "0", "1", "1", "1"], "region"),
        (["1999", "KZ-10", "2221", "1", "0", "1", "1", "1"], "period"),
        (["2023", "KZ-10", "2221", "-1", "0", "1", "1", "1"], "vacancies_posted"),
        (["2023", "KZ-10", "2221", "1", "0", "1", "1.5", "1"], "employment"),
        (["2023", "KZ-10", "2221", "1", "0", "1", "1", "99999999999999999999"], "median_wage"),
        (["2023", "KZ-10", "2221", "1", "5", "1", "1", "1"], "vacancies_long_open"),
        (["2023", "KZ-10", "2221", "1", "0", "1", "1", "0"], "median_wage"),
        (["2023", "KZ-10", "2221", "1", "0", "\x00", "1", "1"], "file"),
        (["2023", "KZ-10", "2221", "1", "0", "١", "1", "1"], "job_seekers"),  # an Arabic-Indic digit
    ],
)
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_saved(row, column):
    report = labour_market_import(_csv([*GOOD, row]), file_name="bad.csv")
    assert not report.ok
    assert [(e.row, e.field) for e in report.errors] == [(1 if column == "file" else 4, column)]
    assert not LabourMarketImport.objects.exists() and not LabourMarketIndicator.objects.exists()


def test_a_duplicate_row_and_a_missing_column_are_named():
    report = labour_market_import(_csv([*GOOD, GOOD[0]]), file_name="dup.csv")
    assert [(e.row, e.field) for e in report.errors] == [(4, "isco_code")]
    report = labour_market_import(_csv([r[:-1] for r in GOOD], header=COLUMNS[:-1]), file_name="m.csv")
    assert [(e.row, e.field) for e in report.errors] == [(1, "median_wage")]


@pytest.mark.parametrize("data", [b"PK\x03\x04not a zip", "a,b\n\udcff".encode("utf-8", "surrogatepass"), b""])
def test_files_that_are_not_csv_or_xlsx_are_refused_not_crashed(data):
    report = labour_market_import(data, file_name="x")
    assert not report.ok and report.errors[0].row == 1


def test_the_generator_covers_every_region_and_unit_group_and_is_seeded(tmp_path):
    from eligibility.models import Occupation, Region

    call_command("generate_labour_market", seed=3, years=2, end_year=2025, stdout=io.StringIO())
    imp = LabourMarketImport.objects.get()
    assert imp.row_count == Occupation.objects.count() * Region.objects.count() * 2
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        call_command("generate_labour_market", seed=3, years=2, end_year=2025, output=str(path), stdout=io.StringIO())
    assert first.read_bytes() == second.read_bytes()


def test_the_import_command_refuses_a_bad_file(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.csv"
    path.write_bytes(_csv([["2025", "KZ-10", "9999", "1", "0", "1", "1", "1"]]))
    with pytest.raises(CommandError, match=r"2\D.*isco_code"):
        call_command("import_labour_market", str(path))
    path.write_bytes(_csv(GOOD))
    out = io.StringIO()
    call_command("import_labour_market", str(path), stdout=out)
    assert "version 1: 2 rows" in out.getvalue()
