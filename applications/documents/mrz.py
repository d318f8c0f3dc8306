"""Parse the machine-readable zone (MRZ) of travel documents, ICAO Doc 9303 (8th ed., 2021).

Plain Python, no ORM. ``mrz_parse`` takes the text of the zone (two or three lines) and returns an
``MrzResult``: every field of the layout, each check digit with whether it holds, and the composite
check digit. It never raises on input: text read from an image is data, so an over-long, foreign or
malformed zone comes back as a result with ``format=None`` and a problem code.

Layouts (Doc 9303 parts 4, 5 and 6):
- TD3, passports: 2 lines of 44 characters;
- TD2, identity cards and visas of that size: 2 lines of 36;
- TD1, identity cards: 3 lines of 30.

The PyPI package ``mrz`` (last release 2020) was considered; its checker is written for generating
zones and tolerates what a reader must report, so the layout is stated here once and tested against
the Doc 9303 specimens (tests/applications/documents/test_mrz.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FILLER = "<"
# Doc 9303 part 3, 4.3: the MRZ character set is A-Z, 0-9 and the filler.
_MRZ_LINE = re.compile(r"[A-Z0-9<]+")
# Anything longer than the largest zone (3 x 30 or 2 x 44 plus line breaks and stray spaces)
# is not an MRZ; bounding it first keeps hostile text cheap to refuse.
MAX_INPUT_CHARS = 200
LAYOUTS: dict[str, tuple[int, int]] = {"TD3": (2, 44), "TD2": (2, 36), "TD1": (3, 30)}

# Problem codes (stable; pages word them through applications/documents/mrz_match.py).
TOO_LONG = "too_long"
BAD_CHARACTERS = "bad_characters"
UNKNOWN_LAYOUT = "unknown_layout"
MALFORMED = "malformed_field"  # followed by ":" and the field name

# Shapes of the fields (Doc 9303 part 3, 4.6 and parts 4-6): left-aligned, fillers only after the
# value; codes of letters; dates of digits (unknown parts of a birth date as fillers); sex F, M, X
# or a filler. A misread that happens to keep a check digit (1 in 10) rarely keeps these.
_SHAPES = {
    "document_code": re.compile(r"[A-Z][A-Z<]"),
    "issuing_state": re.compile(r"[A-Z]{1,3}<{0,2}"),
    "nationality": re.compile(r"[A-Z]{1,3}<{0,2}"),
    "document_number": re.compile(r"[A-Z0-9]+<*"),
    "birth_date": re.compile(r"[0-9]{2}([0-9<]{2}){2}"),
    "expiry_date": re.compile(r"[0-9]{6}"),
    "sex": re.compile(r"[FMX<]"),
}


def check_digit(text: str) -> str:
    """The Doc 9303 part 3, 4.9 check digit: weights 7, 3, 1; A=10..Z=35, filler 0."""
    total = 0
    for position, char in enumerate(text):
        if char.isdigit():
            value = ord(char) - 48
        elif "A" <= char <= "Z":
            value = ord(char) - 55
        else:
            value = 0
        total += value * (7, 3, 1)[position % 3]
    return str(total % 10)


@dataclass(frozen=True)
class Check:
    """One check digit: the characters it covers, the digit printed and whether it holds."""

    name: str
    covered: str
    printed: str

    @property
    def is_valid(self) -> bool:
        # An all-filler optional field may carry a filler as its check digit (part 4, 4.2.2.2).
        if self.printed == FILLER and set(self.covered) <= {FILLER}:
            return True
        return self.printed == check_digit(self.covered)


@dataclass
class MrzResult:
    """What was read. ``format`` is None when the text is not a zone this parser knows."""

    format: str | None
    lines: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    document_code: str = ""
    issuing_state: str = ""
    surname: str = ""
    given_names: str = ""
    document_number: str = ""
    nationality: str = ""
    birth_date_raw: str = ""
    sex: str = ""
    expiry_date_raw: str = ""
    optional_data: str = ""
    optional_data_2: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        """Parsed, and every check digit holds."""
        return self.format is not None and not self.problems and all(c.is_valid for c in self.checks)

    @property
    def failed_checks(self) -> list[str]:
        return [c.name for c in self.checks if not c.is_valid]

    def birth_date(self, today: date | None = None) -> date | None:
        """The date of birth; a two-digit year later than this year is the previous century."""
        today = today or date.today()
        return _date_from(self.birth_date_raw, pivot=today.year % 100, today=today)

    def expiry_date(self, today: date | None = None) -> date | None:
        """The expiry date; two-digit years up to 50 years ahead are this century's."""
        today = today or date.today()
        return _date_from(self.expiry_date_raw, pivot=(today.year + 50) % 100, today=today)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready record: fields, check-digit results, problems (stored on the document)."""
        return {
            "format": self.format,
            "lines": list(self.lines),
            "valid": self.is_valid,
            "problems": list(self.problems),
            "fields": {
                "document_code": self.document_code,
                "issuing_state": self.issuing_state,
                "surname": self.surname,
                "given_names": self.given_names,
                "document_number": self.document_number,
                "nationality": self.nationality,
                "birth_date": self.birth_date_raw,
                "sex": self.sex,
                "expiry_date": self.expiry_date_raw,
                "optional_data": self.optional_data,
                "optional_data_2": self.optional_data_2,
            },
            "checks": {c.name: c.is_valid for c in self.checks},
        }


def _date_from(raw: str, *, pivot: int, today: date) -> date | None:
    if len(raw) != 6 or not raw.isdigit():
        return None  # unknown parts are fillers (part 3, 4.6)
    yy, mm, dd = int(raw[:2]), int(raw[2:4]), int(raw[4:6])
    century = (today.year // 100) * 100
    year = century + yy if yy <= pivot else century - 100 + yy
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def _text(field_chars: str) -> str:
    """A filled field as text: trailing fillers dropped, inner fillers as spaces."""
    return field_chars.rstrip(FILLER).replace(FILLER, " ").strip()


def _names(zone: str) -> tuple[str, str]:
    """Primary and secondary identifiers: split at the first double filler (part 3, 4.6)."""
    surname, _sep, given = zone.partition(FILLER * 2)
    return _text(surname), _text(given)


def _lines_from(text: str | list[str] | tuple[str, ...]) -> tuple[list[str] | None, str | None]:
    if isinstance(text, list | tuple):
        text = "\n".join(str(line) for line in text)
    if not isinstance(text, str):
        return None, BAD_CHARACTERS
    if len(text) > MAX_INPUT_CHARS:
        return None, TOO_LONG
    lines = [re.sub(r"[ \t\r\f\v]", "", line).upper() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not all(_MRZ_LINE.fullmatch(line) for line in lines):
        return None, BAD_CHARACTERS
    return lines, None


def layout_of(lines: list[str]) -> str | None:
    """Which layout these lines have, by count and length."""
    for name, (count, width) in LAYOUTS.items():
        if len(lines) == count and all(len(line) == width for line in lines):
            return name
    return None


def mrz_parse(text: str | list[str] | tuple[str, ...]) -> MrzResult:
    """Parse a TD1, TD2 or TD3 zone; never raises on any text."""
    lines, problem = _lines_from(text)
    if lines is None:
        return MrzResult(format=None, problems=[problem or BAD_CHARACTERS])
    layout = layout_of(lines)
    if layout is None:
        return MrzResult(format=None, lines=tuple(lines), problems=[UNKNOWN_LAYOUT])
    result = MrzResult(format=layout, lines=tuple(lines))
    if layout == "TD1":
        _parse_td1(result, *lines)
    else:
        _parse_two_line(result, *lines, width=LAYOUTS[layout][1])
    return result


def _check_shapes(result: MrzResult, raw: dict[str, str]) -> None:
    for name, text in raw.items():
        if not _SHAPES[name].fullmatch(text):
            result.problems.append(f"{MALFORMED}:{name}")


def _long_number(number: str, printed_check: str, optional: str) -> tuple[str, str, str, str]:
    """A document number over 9 characters (part 5, 4.2.4 note j; part 6): its check digit
    position holds a filler, and the number goes on in the optional data up to a filler, the
    last character before it being the check digit. Returns number, covered, check, the rest."""
    if printed_check != FILLER or not optional or optional[0] == FILLER:
        return _text(number), number, printed_check, optional
    tail, _sep, rest = optional.partition(FILLER)
    full = number + tail[:-1]
    return _text(full), full, tail[-1:], rest


def _parse_two_line(result: MrzResult, line1: str, line2: str, *, width: int) -> None:
    result.document_code = _text(line1[0:2])
    result.issuing_state = _text(line1[2:5])
    result.surname, result.given_names = _names(line1[5:])
    number, number_check = line2[0:9], line2[9]
    result.nationality = _text(line2[10:13])
    result.birth_date_raw = line2[13:19]
    result.sex = _text(line2[20])
    result.expiry_date_raw = line2[21:27]
    if width == 44:  # TD3: personal number with its own check digit, then the composite
        optional = line2[28:42]
        result.document_number = _text(number)
        checks = [Check("document_number", number, number_check)]
        covered = number
        result.optional_data = _text(optional)
        checks += [
            Check("birth_date", line2[13:19], line2[19]),
            Check("expiry_date", line2[21:27], line2[27]),
            Check("optional_data", optional, line2[42]),
        ]
        composite = line2[0:10] + line2[13:20] + line2[21:43]
        checks.append(Check("composite", composite, line2[43]))
    else:  # TD2: optional data, then the composite
        optional = line2[28:35]
        result.document_number, covered, printed, rest = _long_number(number, number_check, optional)
        result.optional_data = _text(rest)
        checks = [
            Check("document_number", covered, printed),
            Check("birth_date", line2[13:19], line2[19]),
            Check("expiry_date", line2[21:27], line2[27]),
        ]
        composite = line2[0:10] + line2[13:20] + line2[21:35]
        checks.append(Check("composite", composite, line2[35]))
    result.checks = checks
    _check_shapes(
        result,
        {
            "document_code": line1[0:2],
            "issuing_state": line1[2:5],
            "nationality": line2[10:13],
            "document_number": covered,
            "birth_date": line2[13:19],
            "expiry_date": line2[21:27],
            "sex": line2[20],
        },
    )


def _parse_td1(result: MrzResult, line1: str, line2: str, line3: str) -> None:
    result.document_code = _text(line1[0:2])
    result.issuing_state = _text(line1[2:5])
    result.document_number, covered, printed, rest = _long_number(line1[5:14], line1[14], line1[15:30])
    result.optional_data = _text(rest)
    result.birth_date_raw = line2[0:6]
    result.sex = _text(line2[7])
    result.expiry_date_raw = line2[8:14]
    result.nationality = _text(line2[15:18])
    result.optional_data_2 = _text(line2[18:29])
    result.surname, result.given_names = _names(line3)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    result.checks = [
        Check("document_number", covered, printed),
        Check("birth_date", line2[0:6], line2[6]),
        Check("expiry_date", line2[8:14], line2[14]),
        Check("composite", composite, line2[29]),
    ]
    _check_shapes(
        result,
        {
            "document_code": line1[0:2],
            "issuing_state": line1[2:5],
            "nationality": line2[15:18],
            "document_number": covered,
            "birth_date": line2[0:6],
            "expiry_date": line2[8:14],
            "sex": line2[7],
        },
    )
