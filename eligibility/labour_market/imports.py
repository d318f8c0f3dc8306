"""Importing labour-market indicators from CSV or XLSX (format: docs/labour-market.md).

Every row is validated; a file with any bad row writes nothing and returns every error with
its row number and column. A good file becomes one new import version, saved in one
transaction and audited with its SHA-256, so that a rating can be traced to the exact file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from eligibility.labour_market.models import LabourMarketImport, LabourMarketIndicator
from eligibility.models import Occupation, Region
from eligibility.rating import RowError
from portal.audit.record import audit_record

COLUMNS = [
    "period",
    "region",
    "isco_code",
    "vacancies_posted",
    "vacancies_long_open",
    "job_seekers",
    "employment",
    "median_wage",
]
COUNT_COLUMNS = COLUMNS[3:]
# 20 regions x 436 unit groups x 10 years is 87,200 rows; more is not one bureau table.
MAX_ROWS = 200_000
MAX_FILE_BYTES = 30 * 1024 * 1024
# A count or a monthly wage in tenge above this is a typing error, not a labour market.
MAX_VALUE = 100_000_000
DEFAULT_LONG_OPEN_DAYS = 60


@dataclass
class LabourImportReport:
    data_import: LabourMarketImport | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ParsedRow:
    occupation: str
    region: str
    year: int
    values: dict[str, int]


def _csv_rows(data: bytes) -> tuple[list[str], list[list[Any]], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [], [RowError(1, "file", _("the file is not UTF-8 text"))]
    if "\x00" in text:
        return [], [], [RowError(1, "file", _("the file contains NUL characters"))]
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return (
            [],
            [],
            [RowError(reader.line_num or 1, "csv", _("the file cannot be read as CSV (%(error)s)") % {"error": exc})],
        )
    if not rows:
        return [], [], [RowError(1, "file", _("the file is empty"))]
    return [str(h).strip() for h in rows[0]], rows[1:], []


def _xlsx_rows(data: bytes) -> tuple[list[str], list[list[Any]], list[RowError]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for i, row in enumerate(sheet.iter_rows(values_only=True)):
            if i > MAX_ROWS + 1:
                break
            rows.append(list(row))
        book.close()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError, TypeError) as exc:
        return (
            [],
            [],
            [RowError(1, "file", _("the file cannot be read as XLSX (%(error)s)") % {"error": type(exc).__name__})],
        )
    if not rows:
        return [], [], [RowError(1, "file", _("the file is empty"))]
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    # Spreadsheets often end with blank rows; they are not data.
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    return header, body, []


def _int(value: Any) -> int | None:
    """A whole number from a CSV text or a spreadsheet cell (12, "12", 12.0), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    return int(text)


def indicators_parse(header: list[str], body: list[list[Any]]) -> tuple[list[ParsedRow], list[RowError]]:
    """Check the header and every row; rows are numbered as in the file (header is row 1)."""
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, c, _("column is missing")) for c in missing]
    if len(body) > MAX_ROWS:
        return [], [RowError(MAX_ROWS + 2, "file", _("more than %(n)s rows") % {"n": MAX_ROWS})]
    position = {c: header.index(c) for c in COLUMNS}
    occupations = set(Occupation.objects.values_list("code", flat=True))
    regions = {code: code for code in Region.objects.values_list("code", flat=True)}
    regions.update(dict(Region.objects.values_list("kato", "code")))
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: set[tuple[str, str, int]] = set()
    for line, raw in enumerate(body, start=2):
        cells = {c: (raw[i] if i < len(raw) else None) for c, i in position.items()}
        code = str(cells["isco_code"] if cells["isco_code"] is not None else "").strip()
        if isinstance(cells["isco_code"], int | float) and not isinstance(cells["isco_code"], bool):
            code = str(_int(cells["isco_code"]) or "").zfill(4)  # a spreadsheet drops the leading zero
        if code not in occupations:
            errors.append(RowError(line, "isco_code", _("must be an ISCO-08 unit group (4 digits)")))
        region_raw = str(cells["region"] if cells["region"] is not None else "").strip().upper()
        region = regions.get(region_raw)
        if region is None:
            errors.append(
                RowError(line, "region", _("must be a region's ISO 3166-2 code (KZ-10 … KZ-79) or KATO code"))
            )
        year = _int(cells["period"])
        if year is None or not 2000 <= year <= 2100:
            errors.append(RowError(line, "period", _("must be a year between 2000 and 2100")))
            year = 0
        values: dict[str, int] = {}
        for column in COUNT_COLUMNS:
            number = _int(cells[column])
            if number is None or number > MAX_VALUE:
                errors.append(
                    RowError(line, column, _("must be a whole number from 0 to %(max)s") % {"max": MAX_VALUE})
                )
            else:
                values[column] = number
        if values.get("vacancies_long_open", 0) > values.get("vacancies_posted", MAX_VALUE):
            errors.append(RowError(line, "vacancies_long_open", _("cannot exceed vacancies_posted")))
        if values.get("employment", 0) > 0 and values.get("median_wage") == 0:
            errors.append(RowError(line, "median_wage", _("must be above 0 where employment is above 0")))
        key = (code, region or "", year)
        if region and year and key in seen:
            errors.append(
                RowError(
                    line,
                    "isco_code",
                    _("%(code)s, %(region)s, %(year)s is listed twice")
                    % {"code": code, "region": region, "year": year},
                )
            )
        seen.add(key)
        if region and year and len(values) == len(COUNT_COLUMNS):
            parsed.append(ParsedRow(code, region, year, values))
    return parsed, errors


def labour_market_import(
    data: bytes,
    *,
    file_name: str,
    actor: Any = None,
    long_open_days: int = DEFAULT_LONG_OPEN_DAYS,
    source: str = "",
) -> LabourImportReport:
    """Validate a CSV or XLSX file (told apart by content, not by name) and, if every row is
    valid, save it as the next import version in one transaction, audited."""
    if len(data) > MAX_FILE_BYTES:
        return LabourImportReport(errors=[RowError(1, "file", _("the file is larger than 30 MB"))])
    if not 1 <= long_open_days <= 365:
        return LabourImportReport(errors=[RowError(1, "long_open_days", _("must be from 1 to 365 days"))])
    reader = _xlsx_rows if data[:4] == b"PK\x03\x04" else _csv_rows
    header, body, errors = reader(data)
    if errors:
        return LabourImportReport(errors=errors)
    rows, errors = indicators_parse(header, body)
    if errors:
        return LabourImportReport(errors=errors)
    if not rows:
        return LabourImportReport(errors=[RowError(2, "file", _("the file has no data rows"))])
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        # Versions are consecutive; the unique constraint refuses a concurrent duplicate.
        version = (LabourMarketImport.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        data_import = LabourMarketImport.objects.create(
            version=version,
            file_name=file_name[:255],
            sha256=digest,
            row_count=len(rows),
            long_open_days=long_open_days,
            source=source[:200],
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        LabourMarketIndicator.objects.bulk_create(
            (
                LabourMarketIndicator(
                    data_import=data_import, occupation_id=r.occupation, region_id=r.region, year=r.year, **r.values
                )
                for r in rows
            ),
            batch_size=5000,
        )
        audit_record(
            actor=actor,
            action="labour_market.import",
            obj=data_import,
            reason=source or file_name[:200],
            snapshot={
                "version": version,
                "file_name": file_name[:255],
                "sha256": digest,
                "rows": len(rows),
                "long_open_days": long_open_days,
                "years": sorted({r.year for r in rows}),
            },
        )
    return LabourImportReport(data_import=data_import)
