"""The stay timeline as a table of border records -> days, continuity and eligibility (no database)."""

from datetime import date, timedelta

import pytest

from applications.stay.timeline import ENTRY, EXIT, Crossing, absences_from, stay_timeline

START = date(2026, 1, 1)
LIMIT = 90


def timeline(*crossings: tuple[str, str], today: str = "2026-12-31", start: date = START, years: int | None = 5):
    return stay_timeline(
        [Crossing(direction, date.fromisoformat(day)) for direction, day in crossings],
        starts_on=start,
        today=date.fromisoformat(today),
        max_days_abroad=LIMIT,
        years_required=years,
    )


def absence_of(days: int, *, left: date = date(2026, 3, 1)) -> tuple[tuple[str, str], tuple[str, str]]:
    """An exit and an entry with exactly ``days`` whole days abroad between them."""
    return (EXIT, left.isoformat()), (ENTRY, (left + timedelta(days=days + 1)).isoformat())


def test_no_records_means_every_day_in_kazakhstan():
    t = timeline()
    assert [(y.number, y.days_counted, y.days_abroad) for y in t.years] == [(1, 365, 0)]
    assert t.days_in_kazakhstan == 365 and t.days_abroad == 0
    assert not t.is_continuity_broken
    assert t.eligible_on == date(2031, 1, 1) and t.counting_from == START


def test_the_days_of_leaving_and_coming_back_count_in_kazakhstan():
    t = timeline((EXIT, "2026-03-01"), (ENTRY, "2026-03-05"))
    assert [a.days for a in t.absences] == [3]  # 2, 3, 4 March
    assert t.days_abroad == 3 and t.days_in_kazakhstan == 362


def test_a_day_trip_is_no_day_abroad():
    t = timeline((EXIT, "2026-03-01"), (ENTRY, "2026-03-01"))
    assert t.days_abroad == 0 and not t.is_abroad_now


@pytest.mark.parametrize(
    ("days", "broken"),
    [(LIMIT - 1, False), (LIMIT, False), (LIMIT + 1, True)],
    ids=["just under the limit", "exactly at the limit", "just over the limit"],
)
def test_continuity_around_the_limit(days, broken):
    exit_, entry = absence_of(days)
    t = timeline(exit_, entry)
    assert t.years[0].days_abroad == days
    assert t.is_continuity_broken is broken
    if broken:
        # The five years count again from the day of return.
        back = date.fromisoformat(entry[1])
        assert t.counting_from == back and t.eligible_on == date(back.year + 5, back.month, back.day)
    else:
        assert t.counting_from == START and t.eligible_on == date(2031, 1, 1)


def test_absences_add_up_within_a_stay_year():
    first = absence_of(45, left=date(2026, 2, 1))
    second = absence_of(46, left=date(2026, 8, 1))
    t = timeline(*first, *second)
    assert t.years[0].days_abroad == 91 and t.is_continuity_broken
    # The second absence took the year over the limit: counting restarts on its return.
    assert t.counting_from == date.fromisoformat(second[1][1])


def test_an_absence_over_the_anniversary_is_split_between_two_years():
    # 60 days before the anniversary and 60 after: neither year is over the limit.
    t = timeline((EXIT, "2026-11-01"), (ENTRY, "2027-03-02"), today="2027-06-30")
    assert [y.days_abroad for y in t.years] == [60, 60]
    assert not t.is_continuity_broken


def test_an_open_absence_counts_until_today_and_leaves_no_date_once_over_the_limit():
    t = timeline((EXIT, "2026-06-01"), today="2026-08-30")
    assert t.is_abroad_now and t.absences[0].days == 90
    assert not t.is_continuity_broken and t.eligible_on == date(2031, 1, 1)
    assert t.days_abroad_left_this_year == 0
    later = timeline((EXIT, "2026-06-01"), today="2026-08-31")
    assert later.is_continuity_broken
    assert later.counting_from is None and later.eligible_on is None and later.progress_percent == 0


def test_a_holder_abroad_when_the_card_starts_is_abroad_until_the_first_entry():
    t = timeline((ENTRY, "2026-02-10"))
    assert t.absences[0].left_on is None and t.absences[0].days == 40  # 1 January to 9 February
    assert t.days_abroad == 40


def test_records_before_the_card_do_not_count():
    t = timeline((EXIT, "2025-06-01"), (ENTRY, "2025-12-01"), (EXIT, "2026-04-01"), (ENTRY, "2026-04-03"))
    assert t.days_abroad == 1 and [a.left_on for a in t.absences] == [date(2026, 4, 1)]


def test_an_absence_that_began_before_the_card_counts_from_its_first_day():
    t = timeline((EXIT, "2025-12-01"), (ENTRY, "2026-01-11"))
    assert t.days_abroad == 10


def test_repeated_crossings_in_one_direction_add_nothing():
    # A declaration repeating an imported exit, and a second entry.
    t = timeline((EXIT, "2026-03-01"), (EXIT, "2026-03-03"), (ENTRY, "2026-03-05"), (ENTRY, "2026-03-09"))
    assert [a.days for a in t.absences] == [3]


def test_a_leap_year_has_366_days():
    t = timeline(start=date(2028, 1, 1), today="2028-12-31")
    assert t.years[0].days_counted == 366 and t.years[0].is_complete is False
    done = timeline(start=date(2028, 1, 1), today="2029-01-01")
    assert done.years[0].days_counted == 366 and done.years[0].is_complete


def test_a_card_starting_on_29_february_has_its_anniversary_on_28_february():
    t = timeline(start=date(2028, 2, 29), today="2029-03-01")
    assert t.years[0].ends_on == date(2029, 2, 27) and t.years[1].starts_on == date(2029, 2, 28)
    assert t.eligible_on == date(2033, 2, 28)


def test_the_limit_in_a_leap_year_is_the_same_number_of_days():
    exit_, entry = absence_of(LIMIT, left=date(2028, 2, 1))
    t = timeline(exit_, entry, start=date(2028, 1, 1), today="2028-12-31")
    assert t.years[0].days_abroad == LIMIT and not t.is_continuity_broken


def test_progress_is_given_in_whole_per_cent_and_reaches_100_on_the_day():
    t = timeline(today="2028-07-02")  # 914 of 1826 days
    assert t.days_toward == 914 and t.days_required == 1826
    assert t.progress_percent == 50
    assert timeline(today="2030-12-31").progress_percent == 99
    reached = timeline(today="2031-01-01")
    assert reached.is_eligible and reached.progress_percent == 100


def test_a_product_without_a_citizenship_term_gives_no_date():
    t = timeline(years=None)
    assert t.eligible_on is None and t.progress_percent == 0 and t.days_in_kazakhstan == 365


def test_the_card_not_yet_started_has_no_years():
    t = timeline(today="2025-12-31")
    assert t.years == [] and t.days_in_kazakhstan == 0 and t.days_toward == 0


def test_records_after_today_are_ignored():
    assert absences_from([Crossing(EXIT, date(2027, 1, 1))], today=date(2026, 12, 31)) == []


def test_a_break_in_a_later_year_restarts_from_that_return():
    exit_, entry = absence_of(100, left=date(2028, 3, 1))
    t = timeline(exit_, entry, today="2029-06-30")
    assert [y.is_broken for y in t.years] == [False, False, True, False]
    assert t.counting_from == date.fromisoformat(entry[1])


def _sourced(*rows: tuple[str, str, str]) -> list[Crossing]:
    return [Crossing(direction, date.fromisoformat(day), source) for direction, day, source in rows]


def test_a_declaration_cannot_shorten_an_absence_the_border_service_recorded():
    crossings = _sourced(
        (EXIT, "2026-03-01", "import"),
        (ENTRY, "2026-06-30", "import"),
        # Declared "back on 5 March": inside the recorded absence, it changes nothing.
        (EXIT, "2026-03-01", "declaration"),
        (ENTRY, "2026-03-05", "declaration"),
    )
    t = stay_timeline(crossings, starts_on=START, today=date(2026, 12, 31), max_days_abroad=LIMIT, years_required=5)
    assert [(a.left_on, a.returned_on, a.days) for a in t.absences] == [(date(2026, 3, 1), date(2026, 6, 30), 120)]
    assert t.is_continuity_broken


def test_a_declaration_adds_the_days_the_border_service_missed_and_overlaps_merge():
    crossings = _sourced(
        (EXIT, "2026-03-01", "import"),
        (ENTRY, "2026-03-11", "import"),
        (EXIT, "2026-03-08", "declaration"),
        (ENTRY, "2026-03-21", "declaration"),
        (EXIT, "2026-08-01", "declaration"),
    )
    t = stay_timeline(crossings, starts_on=START, today=date(2026, 8, 11), max_days_abroad=LIMIT, years_required=5)
    assert [(a.left_on, a.returned_on, a.days) for a in t.absences] == [
        (date(2026, 3, 1), date(2026, 3, 21), 19),
        (date(2026, 8, 1), None, 10),
    ]
