"""The holder's stay in Kazakhstan, computed from border records: plain Python, no ORM.

How days are counted (docs/stay.md says the same for people):
- The days of departure and of arrival count as days in Kazakhstan; an absence is the whole
  days between an exit and the next entry. An exit with no entry after it is an absence still
  going on: every day after the exit up to today counts abroad.
- With no record before the card's first day, the holder is taken to be in Kazakhstan then,
  unless the first record is an entry: then they were abroad until that entry.
- A second exit without an entry in between (or a second entry) adds nothing.
- The holder's declarations add absences the border service did not record; where they
  overlap a recorded absence the two are one absence, and a declared return never ends an
  absence the border service recorded.
- Stay years run from the first card's first day (year 1 ends the day before its anniversary;
  an anniversary of 29 February falls on 28 February).
- Continuity breaks in a stay year with more days abroad than the setting allows; exactly the
  allowed number keeps it. The five years then count again from the day the holder came back
  from the absence that broke it (while that absence goes on, no date can be given).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from applications.cards.services import add_years

ENTRY = "entry"
EXIT = "exit"
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Crossing:
    direction: str  # ENTRY or EXIT
    on: date
    source: str = ""


@dataclass(frozen=True)
class Absence:
    """Days abroad between an exit (None: before the records begin) and an entry (None: not back yet)."""

    left_on: date | None
    returned_on: date | None
    first_day: date  # the first whole day abroad
    last_day: date  # the last whole day abroad (today's date for an absence still going on)

    @property
    def days(self) -> int:
        return max((self.last_day - self.first_day).days + 1, 0)

    @property
    def is_open(self) -> bool:
        return self.returned_on is None

    def days_within(self, start: date, end: date) -> int:
        first, last = max(self.first_day, start), min(self.last_day, end)
        return max((last - first).days + 1, 0)


@dataclass(frozen=True)
class StayYear:
    number: int
    starts_on: date
    ends_on: date
    days_counted: int  # days of the year up to today
    days_abroad: int
    is_complete: bool
    is_broken: bool

    @property
    def days_in_kazakhstan(self) -> int:
        return self.days_counted - self.days_abroad


@dataclass(frozen=True)
class StayTimeline:
    starts_on: date
    today: date
    max_days_abroad: int
    years_required: int | None
    years: list[StayYear] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    # The day the years toward citizenship count from (the first card, or the return after a
    # break); None while the absence that broke continuity goes on.
    counting_from: date | None = None
    eligible_on: date | None = None

    @property
    def days_in_kazakhstan(self) -> int:
        return sum(y.days_in_kazakhstan for y in self.years)

    @property
    def days_abroad(self) -> int:
        return sum(y.days_abroad for y in self.years)

    @property
    def is_continuity_broken(self) -> bool:
        return any(y.is_broken for y in self.years)

    @property
    def is_abroad_now(self) -> bool:
        return any(a.is_open for a in self.absences)

    @property
    def is_eligible(self) -> bool:
        return self.eligible_on is not None and self.eligible_on <= self.today

    @property
    def current_year(self) -> StayYear | None:
        return self.years[-1] if self.years and not self.years[-1].is_complete else None

    @property
    def days_abroad_left_this_year(self) -> int | None:
        """Days the holder may still spend abroad in the current stay year without a break."""
        year = self.current_year
        if year is None or year.is_broken:
            return None
        return self.max_days_abroad - year.days_abroad

    @property
    def days_toward(self) -> int:
        """Days counted toward citizenship (from ``counting_from`` to today, both included)."""
        if self.counting_from is None or self.counting_from > self.today:
            return 0
        return (self.today - self.counting_from).days + 1

    @property
    def days_required(self) -> int:
        if self.counting_from is None or self.eligible_on is None:
            return 0
        return (self.eligible_on - self.counting_from).days

    @property
    def progress_percent(self) -> int:
        """Whole per cent of the way to eligibility (100 once it is reached)."""
        if self.is_eligible:
            return 100
        if not self.days_required:
            return 0
        return min(self.days_toward * 100 // self.days_required, 99)


def absences_from(crossings: Iterable[Crossing], *, today: date) -> list[Absence]:
    """The absences the crossings describe, oldest first (see the module's rules)."""
    by_day: dict[date, set[str]] = {}
    for crossing in crossings:
        if crossing.on <= today:
            by_day.setdefault(crossing.on, set()).add(crossing.direction)
    absences: list[Absence] = []
    days = sorted(by_day)
    # Before the first record: abroad if that record is an entry (the card came to them abroad).
    abroad = bool(days) and by_day[days[0]] == {ENTRY}
    left_on: date | None = None
    for day in days:
        directions = by_day[day]
        # Abroad: the entry closes the absence first; then an exit the same day opens another.
        # At home: the exit opens one first; an entry the same day closes it (a day trip, 0 days).
        steps = (ENTRY, EXIT) if abroad else (EXIT, ENTRY)
        for step in steps:
            if step not in directions:
                continue
            if step == ENTRY and abroad:
                first = left_on + ONE_DAY if left_on is not None else date.min
                absences.append(Absence(left_on, day, first, day - ONE_DAY))
                abroad, left_on = False, None
            elif step == EXIT and not abroad:
                abroad, left_on = True, day
    if abroad:
        first = left_on + ONE_DAY if left_on is not None else date.min
        absences.append(Absence(left_on, None, first, today))
    return absences


def merged_absences(crossings: Iterable[Crossing], *, today: date) -> list[Absence]:
    """The absences of each source (border service, the holder's declarations), merged where
    they overlap: a declaration adds days abroad the border service missed, but can never end
    an absence the border service recorded (a declared return inside it changes nothing)."""
    by_source: dict[str, list[Crossing]] = {}
    for crossing in crossings:
        by_source.setdefault(crossing.source, []).append(crossing)
    absences = sorted(
        (a for group in by_source.values() for a in absences_from(group, today=today)),
        key=lambda a: (a.first_day, a.last_day),
    )
    merged: list[Absence] = []
    for absence in absences:
        last = merged[-1] if merged else None
        if last is None or absence.first_day > last.last_day + ONE_DAY:
            merged.append(absence)
            continue
        longer = absence if absence.last_day > last.last_day else last
        returned_on = None if last.is_open or absence.is_open else longer.returned_on
        merged[-1] = Absence(last.left_on, returned_on, last.first_day, longer.last_day)
    return merged


def _years(absences: list[Absence], start: date, today: date, max_abroad: int, limit: int | None) -> list[StayYear]:
    years: list[StayYear] = []
    number = 1
    while True:
        starts_on = add_years(start, number - 1)
        if starts_on > today or (limit is not None and number > limit):
            return years
        ends_on = add_years(start, number) - ONE_DAY
        last_counted = min(ends_on, today)
        abroad = sum(a.days_within(starts_on, last_counted) for a in absences)
        years.append(
            StayYear(
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
                days_counted=(last_counted - starts_on).days + 1,
                days_abroad=abroad,
                is_complete=ends_on < today,
                is_broken=abroad > max_abroad,
            )
        )
        number += 1


def _breaking_absence(absences: list[Absence], year: StayYear, max_abroad: int) -> Absence:
    """The absence whose days took the year over the limit."""
    total = 0
    for absence in absences:
        total += absence.days_within(year.starts_on, year.ends_on)
        if total > max_abroad:
            return absence
    raise AssertionError("a broken year has an absence that broke it")  # pragma: no cover


def stay_timeline(
    crossings: Iterable[Crossing],
    *,
    starts_on: date,
    today: date,
    max_days_abroad: int,
    years_required: int | None,
) -> StayTimeline:
    """Days in Kazakhstan per stay year since ``starts_on``, absences, continuity and eligibility.

    ``years_required`` is the product's citizenship term (None: the product leads to none, and
    no eligibility date is given).
    """
    all_absences = merged_absences(crossings, today=today)
    absences = [a for a in all_absences if a.last_day >= starts_on or a.is_open]
    clipped = [
        Absence(a.left_on, a.returned_on, max(a.first_day, starts_on), a.last_day) if a.first_day < starts_on else a
        for a in absences
    ]
    years = _years(clipped, starts_on, today, max_days_abroad, None)
    counting_from: date | None = starts_on
    eligible_on: date | None = None
    if years_required is not None:
        while counting_from is not None:
            counted = _years(clipped, counting_from, today, max_days_abroad, years_required)
            broken = next((y for y in counted if y.is_broken), None)
            if broken is None:
                eligible_on = add_years(counting_from, years_required)
                break
            counting_from = _breaking_absence(clipped, broken, max_days_abroad).returned_on
    return StayTimeline(
        starts_on=starts_on,
        today=today,
        max_days_abroad=max_days_abroad,
        years_required=years_required,
        years=years,
        absences=clipped,
        counting_from=counting_from,
        eligible_on=eligible_on,
    )
