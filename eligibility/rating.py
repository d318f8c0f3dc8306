"""Reference data of the criteria as CSV: import with row-level errors, export per year.

Two files, one set of rules each, used by the admin pages and the API alike:

- the scarce-professions rating, columns ``isco_code,year,sector,priority``; codes are text
  (leading zeros);
- the regions' yearly labour-deficient flags, columns ``region,year,labour_deficient``;
  ``region`` is the ISO 3166-2 code (``KZ-10`` … ``KZ-79``, as in kz_regions.csv), the flag
  ``true``/``false`` (also ``yes``/``no``, ``1``/``0``). Other columns (``name_en`` and
  ``title`` in the exports) are ignored.

Files are UTF-8 with a header row. An import with any bad row writes nothing and returns
every error with its row number and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from eligibility.models import Occupation, Region, RegionYear, ScarceProfession
from eligibility.occupations import occupation_title
from eligibility.products import Sector
from portal.audit.record import audit_record

COLUMNS = ["isco_code", "year", "sector", "priority"]
REGION_COLUMNS = ["region", "year", "labour_deficient"]
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number in the file, header is line 1
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    errors: list[RowError] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _reader(text: str, columns: list[str]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The file's rows and the errors of its header row (missing columns), or of a file the
    csv module cannot read (a field over its 128 KiB limit, a broken quote): a row error, not a 500."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        fieldnames = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as exc:
        return [], [
            RowError(reader.line_num or 1, "csv", _("the file cannot be read as CSV (%(error)s)") % {"error": exc})
        ]
    missing = [c for c in columns if c not in fieldnames]
    return rows, [RowError(1, c, _("column is missing")) for c in missing]


def _year(raw: dict[str, Any], line: int, errors: list[RowError]) -> int:
    try:
        year = int((raw.get("year") or "").strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors.append(RowError(line, "year", _("must be a year between 2000 and 2100")))
        return 0
    return year


def rating_import(text: str, *, actor: Any = None) -> ImportReport:
    """Validate every row; write all of them (upsert by code and year) only if all are valid."""
    reader, missing = _reader(text, COLUMNS)
    if missing:
        return ImportReport(errors=missing)
    known = set(Occupation.objects.values_list("code", flat=True))
    errors: list[RowError] = []
    rows: dict[tuple[str, int], tuple[str, int]] = {}
    for line, raw in enumerate(reader, start=2):
        code = (raw.get("isco_code") or "").strip()
        if not (len(code) == 4 and code.isdigit()):
            errors.append(RowError(line, "isco_code", _("must be a 4-digit ISCO-08 code")))
        elif code not in known:
            errors.append(RowError(line, "isco_code", _("%(code)s is not an ISCO-08 unit group") % {"code": code}))
        year = _year(raw, line, errors)
        sector = (raw.get("sector") or "").strip().lower()
        if sector not in Sector.values:
            errors.append(RowError(line, "sector", _("must be one of %(list)s") % {"list": ", ".join(Sector.values)}))
        try:
            priority = int((raw.get("priority") or "").strip())
            if priority not in (1, 2, 3):
                raise ValueError
        except ValueError:
            errors.append(RowError(line, "priority", _("must be 1, 2 or 3")))
            priority = 0
        if (code, year) in rows:
            errors.append(
                RowError(line, "isco_code", _("%(code)s is listed twice for %(year)s") % {"code": code, "year": year})
            )
        rows[(code, year)] = (sector, priority)
    if errors:
        return ImportReport(errors=errors)
    values = {key: {"sector": sector, "priority": priority} for key, (sector, priority) in rows.items()}
    return _write(ScarceProfession, "occupation_id", "isco_code", values, action="rating.import", actor=actor)


def _write(
    model: Any, code_field: str, code_column: str, rows: dict[tuple[str, int], dict], *, action: str, actor: Any
) -> ImportReport:
    """Upsert every validated row by (code, year) in one transaction, each change audited."""
    from portal.changes import change_snapshot, values_of

    report = ImportReport(errors=[])
    with transaction.atomic():
        for (code, year), values in rows.items():
            before = values_of(model.objects.filter(**{code_field: code, "year": year}).first())
            row, created = model.objects.update_or_create(**{code_field: code, "year": year}, defaults=values)
            if created:
                report.created += 1
            else:
                report.updated += 1
            audit_record(
                actor=actor,
                action=action,
                obj=row,
                reason="created" if created else "updated",
                # Before and after, so an import that changes a value leaves both in the trail.
                snapshot={code_column: code, "year": year, **change_snapshot(before, values_of(row))},
            )
    return report


def rating_year_replace(
    year: int, rows: dict[str, tuple[str, int]], *, actor: Any = None, action: str = "rating.replace"
) -> ImportReport:
    """Make ``rows`` (ISCO code -> sector, priority) the whole rating of ``year``: every row is
    written by the import's writer, and the year's rows not in ``rows`` are deleted, each
    change audited, in one transaction. Publishing a reviewed proposal calls this."""
    values = {(code, year): {"sector": sector, "priority": priority} for code, (sector, priority) in rows.items()}
    with transaction.atomic():
        report = _write(ScarceProfession, "occupation_id", "isco_code", values, action=action, actor=actor)
        for row in ScarceProfession.objects.filter(year=year).exclude(occupation_id__in=list(rows)):
            audit_record(
                actor=actor,
                action=action,
                obj=row,
                reason="removed",
                snapshot={"isco_code": row.occupation_id, "year": year, "sector": row.sector, "priority": row.priority},
            )
            row.delete()
            report.removed += 1
    return report


def rating_export(year: int | None = None) -> str:
    """The rating as CSV, with each occupation's title in the active language after the four
    columns (the import ignores it), so that the file can be read without a code list."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "title"])
    qs = ScarceProfession.objects.order_by("year", "occupation_id")
    if year is not None:
        qs = qs.filter(year=year)
    for code, *rest in qs.values_list("occupation_id", "year", "sector", "priority"):
        writer.writerow([code, *rest, occupation_title(code)])
    return out.getvalue()


def region_years_import(text: str, *, actor: Any = None) -> ImportReport:
    """Validate every row of a regions file; write all of them (upsert by region and year)
    only if all are valid. The flags feed the criteria's ``labour_deficient_regions`` table."""
    reader, missing = _reader(text, REGION_COLUMNS)
    if missing:
        return ImportReport(errors=missing)
    known = set(Region.objects.values_list("code", flat=True))
    errors: list[RowError] = []
    rows: dict[tuple[str, int], bool] = {}
    for line, raw in enumerate(reader, start=2):
        code = (raw.get("region") or "").strip().upper()
        if code not in known:
            errors.append(
                RowError(
                    line, "region", _("%(code)s is not a region's ISO 3166-2 code (KZ-10 … KZ-79)") % {"code": code}
                )
            )
        year = _year(raw, line, errors)
        flag = (raw.get("labour_deficient") or "").strip().lower()
        if flag not in _TRUE | _FALSE:
            errors.append(RowError(line, "labour_deficient", _("must be true or false")))
        if (code, year) in rows:
            errors.append(
                RowError(line, "region", _("%(code)s is listed twice for %(year)s") % {"code": code, "year": year})
            )
        rows[(code, year)] = flag in _TRUE
    if errors:
        return ImportReport(errors=errors)
    values = {key: {"labour_deficient": deficient} for key, deficient in rows.items()}
    return _write(RegionYear, "region_id", "region", values, action="region_year.import", actor=actor)


def region_years_export(year: int | None = None) -> str:
    """The stored yearly flags; for one ``year``, every region with the flag in force that
    year (its yearly row, else its resettlement designation), as a complete file to edit."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*REGION_COLUMNS, "name_en"])
    if year is None:
        qs = RegionYear.objects.select_related("region").order_by("year", "region_id")
        for r in qs:
            writer.writerow([r.region_id, r.year, _flag(r.labour_deficient), r.region.name_en])
        return out.getvalue()
    stored = dict(RegionYear.objects.filter(year=year).values_list("region_id", "labour_deficient"))
    for region in Region.objects.order_by("code"):
        writer.writerow([region.code, year, _flag(stored.get(region.code, region.is_labour_deficient)), region.name_en])
    return out.getvalue()


def _flag(value: bool) -> str:
    return "true" if value else "false"
