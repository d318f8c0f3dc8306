"""The scarce-professions rating as CSV: import with row-level errors, export per year.

Columns: ``isco_code,year,sector,priority`` (UTF-8, header row). Codes are text (leading zeros).
An import with any bad row writes nothing and returns every error with its row number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from eligibility.models import Occupation, ScarceProfession
from eligibility.products import Sector

COLUMNS = ["isco_code", "year", "sector", "priority"]


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
    errors: list[RowError] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def rating_import(text: str, *, actor: Any = None) -> ImportReport:
    """Validate every row; write all of them (upsert by code and year) only if all are valid."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return ImportReport(errors=[RowError(1, c, _("column is missing")) for c in missing])
    known = set(Occupation.objects.values_list("code", flat=True))
    errors: list[RowError] = []
    rows: dict[tuple[str, int], tuple[str, int]] = {}
    for line, raw in enumerate(reader, start=2):
        code = (raw.get("isco_code") or "").strip()
        if not (len(code) == 4 and code.isdigit()):
            errors.append(RowError(line, "isco_code", _("must be a 4-digit ISCO-08 code")))
        elif code not in known:
            errors.append(RowError(line, "isco_code", _("%(code)s is not an ISCO-08 unit group") % {"code": code}))
        try:
            year = int((raw.get("year") or "").strip())
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(RowError(line, "year", _("must be a year between 2000 and 2100")))
            year = 0
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
    from applications.audit import audit_record

    report = ImportReport(errors=[])
    with transaction.atomic():
        for (code, year), (sector, priority) in rows.items():
            row, created = ScarceProfession.objects.update_or_create(
                occupation_id=code, year=year, defaults={"sector": sector, "priority": priority}
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
            audit_record(
                actor=actor,
                action="rating.import",
                obj=row,
                reason="created" if created else "updated",
                snapshot={"isco_code": code, "year": year, "sector": sector, "priority": priority},
            )
    return report


def rating_export(year: int | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    qs = ScarceProfession.objects.order_by("year", "occupation_id")
    if year is not None:
        qs = qs.filter(year=year)
    for r in qs.values_list("occupation_id", "year", "sector", "priority"):
        writer.writerow(r)
    return out.getvalue()
