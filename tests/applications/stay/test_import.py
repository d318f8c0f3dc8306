"""Importing a border-service export: every row checked, bad rows named, nothing partial, audited."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from applications.cards.numbers import format_for_print
from applications.stay.models import BorderImport, BorderRecord
from applications.stay.services import BorderImportInvalid, border_records_import
from portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 5)
HEADER = "record_id,card_number,direction,crossed_at,crossing_point\n"


def export(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def problems_of(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(BorderImportInvalid) as caught:
        border_records_import(data=data, source_name="export.csv", today=TODAY)
    return [(p.row, p.column) for p in caught.value.problems]


def test_a_valid_export_is_imported_and_audited_once(card):
    data = export(
        f"PS-1,{card.number},EXIT,2026-03-01T23:30:00+05:00,Khorgos",
        # The number as printed on the card, and the service's Russian word for entry.
        f"PS-2,{format_for_print(card.number)},въезд,2026-03-20,Almaty airport",
    )
    batch = border_records_import(data=data, source_name="export.csv", today=TODAY)
    records = list(BorderRecord.objects.filter(holder=card.holder).order_by("crossed_on"))
    assert [(r.direction, r.crossed_on, r.source) for r in records] == [
        ("exit", date(2026, 3, 1), "import"),
        ("entry", date(2026, 3, 20), "import"),
    ]
    assert (batch.rows, batch.created, batch.skipped) == (2, 2, 0)
    event = AuditEvent.objects.get(action="stay.import")
    assert (
        event.object_id == str(batch.pk) and event.snapshot["created"] == 2 and event.snapshot["sha256"] == batch.sha256
    )


def test_a_time_with_an_offset_is_read_as_the_day_in_kazakhstan(card):
    border_records_import(
        data=export(f"PS-1,{card.number},exit,2026-03-01T20:30:00+00:00,Khorgos"), source_name="x", today=TODAY
    )
    assert BorderRecord.objects.get().crossed_on == date(2026, 3, 2)  # 01:30 in Almaty


def test_the_same_export_twice_adds_nothing_the_second_time(card):
    data = export(f"PS-1,{card.number},exit,2026-03-01,Khorgos")
    border_records_import(data=data, source_name="export.csv", today=TODAY)
    again = border_records_import(data=data, source_name="export.csv", today=TODAY)
    assert (again.created, again.skipped) == (0, 1)
    assert BorderRecord.objects.count() == 1 and AuditEvent.objects.filter(action="stay.import").count() == 2


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_saved(card):
    data = export(
        f"PS-1,{card.number},exit,2026-03-01,Khorgos",
        "PS-2,KC26999999XX,exit,2026-03-01,Khorgos",
        f"PS-3,{card.number},sideways,2026-03-01,Khorgos",
        f"PS-4,{card.number},entry,01.03.2026,Khorgos",
        f"PS-5,{card.number},entry,2027-01-01,Khorgos",
        f"PS-6,{card.number},entry,2026-03-02,",
        f"PS-1,{card.number},entry,2026-03-03,Khorgos",
        f",{card.number},entry,2026-03-03,Khorgos",
        f"PS-9,{card.number},entry,99999999999-01-01,Khorgos",
    )
    assert problems_of(data) == [
        (3, "card_number"),
        (4, "direction"),
        (5, "crossed_at"),
        (6, "crossed_at"),
        (7, "crossing_point"),
        (8, "record_id"),
        (9, "record_id"),
        (10, "crossed_at"),
    ]
    assert not BorderRecord.objects.exists() and not BorderImport.objects.exists()
    assert not AuditEvent.objects.filter(action="stay.import").exists()


def test_a_missing_column_is_named_on_the_header_row(card):
    assert problems_of(b"record_id,card_number,direction\nPS-1,X,exit\n") == [(1, "crossed_at"), (1, "crossing_point")]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe not utf-8",
        (HEADER + "PS-1,KC,exit,2026-03-01,Kh\x00orgos\n").encode(),
        "\ud800".encode("utf-8", "surrogatepass"),
    ],
    ids=["not UTF-8", "NUL", "lone surrogate"],
)
def test_a_file_that_is_not_clean_text_is_refused_whole(card, data):
    assert problems_of(data) == [(0, "")]


def test_a_record_id_seen_before_with_other_details_is_a_problem(card):
    border_records_import(data=export(f"PS-1,{card.number},exit,2026-03-01,Khorgos"), source_name="a", today=TODAY)
    assert problems_of(export(f"PS-1,{card.number},entry,2026-03-01,Khorgos")) == [(2, "record_id")]


def test_the_command_imports_and_reports_problems(card, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(export(f"PS-1,{card.number},exit,2026-03-01,Khorgos"))
    call_command("import_border_records", str(good))
    assert "1 records added" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(export(f"PS-2,{card.number},sideways,2026-03-01,Khorgos"))
    with pytest.raises(CommandError):
        call_command("import_border_records", str(bad))
    assert "row 2, column direction" in capsys.readouterr().err
    assert BorderRecord.objects.count() == 1
