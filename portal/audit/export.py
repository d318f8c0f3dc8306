"""The audit trail of a period as CSV, streamed (issue 16): any length without holding it in memory.

Columns are the audit event's fields under stable English names (the file is data for other
tools). Snapshots are masked as on every page that is not identity checking
(``portal.privacy.answers_for``), as the admin shows them to auditors.
"""

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from portal import privacy
from portal.audit.models import AuditEvent

COLUMNS = (
    "id",
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "application_id",
    "from_state",
    "to_state",
    "reason",
    "snapshot",
    "ip_address",
    "seq",
    "prev_hash",
    "hash",
)
_FIELDS = (
    "id",
    "created_at",
    "actor__email",
    "action",
    "object_type",
    "object_id",
    "application_id",
    "from_state",
    "to_state",
    "reason",
    "snapshot",
    "ip_address",
    "seq",
    "prev_hash",
    "hash",
)
# A spreadsheet runs a cell that starts with these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """csv.writer's file: hands back each written line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(privacy.answers_for(None, value), ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the portal's time zone."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def audit_csv_lines(start: date, end: date) -> Iterator[str]:
    """The header, then one line per audit event written in the period, oldest first."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)  # the BOM lets spreadsheets read UTF-8 (Cyrillic)
    since, until = period_bounds(start, end)
    rows = (
        AuditEvent.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by("created_at", "id")
        .values_list(*_FIELDS)
    )
    for row in rows.iterator(chunk_size=2000):
        yield writer.writerow([_cell(v) for v in row])
