"""Writes about the holder's stay: border-service imports, the holder's declarations, reminders."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.cards import numbers
from applications.models import CardAddress, IssuedCard
from applications.notifications import notification_create
from applications.stay.models import BorderImport, BorderRecord
from applications.stay.selectors import crossings_by_holder, timeline_for_card
from portal.audit.record import audit_record
from portal.inputs import is_hostile

# The columns of a border-service export (docs/stay.md); any other column is ignored.
COLUMNS = ("record_id", "card_number", "direction", "crossed_at", "crossing_point")
# The words an export may use for a direction: the service's Russian ones, and English.
DIRECTIONS = {
    "entry": BorderRecord.Direction.ENTRY,
    "въезд": BorderRecord.Direction.ENTRY,
    "exit": BorderRecord.Direction.EXIT,
    "выезд": BorderRecord.Direction.EXIT,
}
# Kazakhstan's border records start long after this; an older date is a typing error.
EARLIEST = date(1991, 12, 16)


# Days after the reminder's first day that a card without an address is still reminded (the
# beat runs every 6 hours, so a month covers any outage of the scheduler).
ADDRESS_REMINDER_WINDOW_DAYS = 30


class StayRefused(Exception):
    """A declaration that cannot be recorded; the message says why, in the user's language."""


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the file's line as a spreadsheet numbers it (the header is row 1); 0: the whole file
    column: str
    message: str


class BorderImportInvalid(Exception):
    """The file has problems; nothing was saved. ``problems`` names each by row and column."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the border records file")
        self.problems = problems


def _parse_day(value: str) -> date | None:
    """An ISO 8601 date, or a date and time (with an offset: the day in Kazakhstan's time)."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        return timezone.localtime(moment).date()
    return moment.date()


def _read_rows(data: bytes) -> tuple[list[dict[str, str]], list[ImportProblem]]:
    if len(data) > settings.STAY_IMPORT_MAX_BYTES:
        limit = settings.STAY_IMPORT_MAX_BYTES // (1024 * 1024)
        return [], [ImportProblem(0, "", _("The file is larger than %(mb)s MB.") % {"mb": limit})]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [ImportProblem(0, "", _("The file is not UTF-8 text."))]
    if is_hostile(text.replace("\r", "").replace("\n", "").replace("\t", "")):
        return [], [ImportProblem(0, "", _("The file contains characters that cannot be used."))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [ImportProblem(1, name, _("The column is missing.")) for name in missing]
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            rows.append({name: (row.get(name) or "").strip() for name in COLUMNS})
    except csv.Error as exc:
        return [], [ImportProblem(reader.line_num, "", _("The line cannot be read as CSV: %(error)s") % {"error": exc})]
    if len(rows) > settings.STAY_IMPORT_MAX_ROWS:
        return [], [
            ImportProblem(0, "", _("The file has more than %(n)s rows.") % {"n": settings.STAY_IMPORT_MAX_ROWS})
        ]
    return rows, []


def _check_rows(rows: list[dict[str, str]], today: date) -> tuple[list[BorderRecord], list[ImportProblem]]:
    """Every row checked; the records to add (without the ones already recorded) or the problems."""
    wanted = {numbers.normalise(row["card_number"]) for row in rows}
    cards = {c.number: c for c in IssuedCard.objects.filter(number__in=wanted).only("pk", "number", "holder_id")}
    known = {
        r.external_id: r
        for r in BorderRecord.objects.filter(external_id__in={row["record_id"] for row in rows if row["record_id"]})
    }
    problems: list[ImportProblem] = []
    records: list[BorderRecord] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):

        def problem(column: str, message: str, line: int = line) -> None:
            problems.append(ImportProblem(line, column, message))

        record_id = row["record_id"]
        if not record_id:
            problem("record_id", _("Enter the record id."))
        elif len(record_id) > 64:
            problem("record_id", _("The record id is longer than 64 characters."))
        elif record_id in seen:
            problem("record_id", _("The record id is repeated (first on row %(row)s).") % {"row": seen[record_id]})
        else:
            seen[record_id] = line
        card = cards.get(numbers.normalise(row["card_number"]))
        if card is None:
            problem("card_number", _("No card has this number."))
        direction = DIRECTIONS.get(row["direction"].lower())
        if direction is None:
            problem("direction", _("Write entry or exit."))
        day = _parse_day(row["crossed_at"])
        if day is None:
            problem("crossed_at", _("Write the date as YYYY-MM-DD (a time may follow)."))
        elif not EARLIEST <= day <= today:
            problem("crossed_at", _("The date must be in the past and after 1991."))
        if len(row["crossing_point"]) > 120:
            problem("crossing_point", _("The crossing point is longer than 120 characters."))
        elif not row["crossing_point"]:
            problem("crossing_point", _("Enter the crossing point."))
        if card is None or direction is None or day is None or record_id not in seen or seen[record_id] != line:
            continue
        existing = known.get(record_id)
        if existing is not None:
            if (existing.holder_id, existing.direction, existing.crossed_on) != (card.holder_id, direction, day):
                problem("record_id", _("A record with this id was imported before with other details."))
            continue
        records.append(
            BorderRecord(
                holder_id=card.holder_id,
                card=card,
                direction=direction,
                crossed_on=day,
                crossing_point=row["crossing_point"],
                source=BorderRecord.Source.IMPORT,
                external_id=record_id,
            )
        )
    return records, problems


def border_records_import(*, data: bytes, source_name: str, actor=None, today: date | None = None) -> BorderImport:
    """Import a border-service export (docs/stay.md): every row valid, or nothing saved.

    Rows whose record id was imported before are skipped, so the same export read twice adds
    nothing. The import is one audit event (file name, SHA-256, counts), in its transaction.
    Raises ``BorderImportInvalid`` naming each bad row and column.
    """
    today = today or timezone.localdate()
    rows, problems = _read_rows(data)
    if not problems:
        with transaction.atomic():
            records, problems = _check_rows(rows, today)
            if not problems:
                batch = BorderImport.objects.create(
                    source_name=source_name[:200],
                    sha256=hashlib.sha256(data).hexdigest(),
                    rows=len(rows),
                    created=len(records),
                    skipped=len(rows) - len(records),
                    imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                for record in records:
                    record.batch = batch
                BorderRecord.objects.bulk_create(records)
                audit_record(
                    actor=actor,
                    action="stay.import",
                    obj=batch,
                    snapshot={
                        "file": batch.source_name,
                        "sha256": batch.sha256,
                        "rows": batch.rows,
                        "created": batch.created,
                        "skipped": batch.skipped,
                    },
                )
                return batch
    raise BorderImportInvalid(problems)


def absence_declare(
    *, card: IssuedCard, actor, left_on: date, returned_on: date | None, today: date | None = None
) -> list[BorderRecord]:
    """The holder declares an absence: an exit, and the entry when they are back (audited)."""
    today = today or timezone.localdate()
    if actor is None or actor.pk != card.holder_id:
        raise StayRefused(_("Only the card holder may declare an absence."))
    if left_on > today or (returned_on is not None and returned_on > today):
        raise StayRefused(_("The dates must not be in the future."))
    if returned_on is not None and returned_on < left_on:
        raise StayRefused(_("The date you came back must be on or after the date you left."))
    crossings = [(BorderRecord.Direction.EXIT, left_on)]
    if returned_on is not None:
        crossings.append((BorderRecord.Direction.ENTRY, returned_on))
    with transaction.atomic():
        records = [
            BorderRecord.objects.create(
                holder_id=card.holder_id,
                card=card,
                direction=direction,
                crossed_on=day,
                source=BorderRecord.Source.DECLARATION,
            )
            for direction, day in crossings
        ]
        audit_record(
            actor=actor,
            action="stay.declare",
            obj=records[0],
            application=card.application,
            snapshot={"left_on": left_on.isoformat(), "returned_on": returned_on.isoformat() if returned_on else ""},
        )
    return records


# --- reminders -------------------------------------------------------------------------


def address_report_due_on(card: IssuedCard) -> date:
    """The last day to report the first address in Kazakhstan (setting STAY_ADDRESS_REPORT_DAYS)."""
    return card.valid_from + timedelta(days=settings.STAY_ADDRESS_REPORT_DAYS)


def address_reminders_send(*, today: date | None = None) -> int:
    """Remind holders of valid cards with no address registered, once per card, a few days
    before the report is due (and at once if it is already late)."""
    today = today or timezone.localdate()
    issued_by = today - timedelta(days=settings.STAY_ADDRESS_REPORT_DAYS - settings.STAY_ADDRESS_REMINDER_DAYS_BEFORE)
    # Cards older than the window had their one reminder already: without a lower bound every
    # run would retry them all (the outbox key would drop the duplicates, but after the work).
    issued_since = issued_by - timedelta(days=ADDRESS_REMINDER_WINDOW_DAYS)
    cards = (
        IssuedCard.objects.filter(
            status=IssuedCard.Status.ACTIVE,
            valid_from__lte=issued_by,
            valid_from__gte=issued_since,
            valid_until__gte=today,
        )
        .exclude(pk__in=CardAddress.objects.values("card_id"))
        .select_related("holder", "application")
    )
    sent = 0
    for card in cards:
        rows = notification_create(
            recipient=card.holder,
            kind="address_report_due",
            event_key=f"card{card.pk}:address-due",
            application=card.application,
            payload={"card_number": card.number, "due_on": address_report_due_on(card).isoformat()},
        )
        sent += bool(rows)
    return sent


def citizenship_reminders_send(*, today: date | None = None) -> int:
    """Tell holders when citizenship eligibility is near (and when it is reached), from the
    stay timeline, not the date printed on the card: a break in continuity moves it.

    One reminder per threshold and eligibility date: if the date moves, the holder hears again.
    """
    today = today or timezone.localdate()
    thresholds = sorted(settings.STAY_CITIZENSHIP_REMINDER_DAYS)
    # The timeline's date is never earlier than the card's (a break only moves it later).
    candidates = IssuedCard.objects.filter(
        status=IssuedCard.Status.ACTIVE,
        citizenship_eligible_on__isnull=False,
        citizenship_eligible_on__lte=today + timedelta(days=thresholds[-1]),
    ).select_related("holder", "application")
    cards = list(candidates)
    crossings = crossings_by_holder({card.holder_id for card in cards})
    sent = 0
    for card in cards:
        timeline = timeline_for_card(card, today=today, crossings=crossings.get(card.holder_id, []))
        if timeline.eligible_on is None:
            continue
        days_left = (timeline.eligible_on - today).days
        threshold = next((d for d in thresholds if days_left <= d), None)
        if threshold is None or days_left < -settings.STAY_CITIZENSHIP_REMINDER_LATE_DAYS:
            continue
        rows = notification_create(
            recipient=card.holder,
            kind="citizenship_eligible",
            event_key=f"card{card.pk}:citizenship{timeline.eligible_on.isoformat()}:{threshold}",
            application=card.application,
            payload={
                "card_number": card.number,
                "eligible_on": timeline.eligible_on.isoformat(),
                "days": max(days_left, 0),
            },
        )
        sent += bool(rows)
    return sent
