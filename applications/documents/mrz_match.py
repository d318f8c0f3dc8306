"""Compare what the MRZ says with what the applicant typed: one status per field.

Plain Python over an ``MrzResult`` and a flat mapping of answers (the personal and passport
sections merged). Statuses: ``match``, ``likely_match`` (the same name under another
transliteration, e.g. NURLANQYZY and NURLANKYZY), ``mismatch``, ``unreadable`` (the zone or that
field's check digit failed, so the read value proves nothing) and ``not_answered``.

Names are compared the way a passport office writes them into the zone (Doc 9303 part 3, 6.A):
Cyrillic transliterated by the ICAO table, spaces and hyphens as fillers, apostrophes dropped,
truncated to the zone's width. Equal zones are a match. Zones equal once the letters that the
Russian, Kazakh and ICAO romanisations spell differently are folded together are a likely match:
never a match, so a planted typo cannot pass as one. A one-letter difference is a mismatch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from .mrz import FILLER, LAYOUTS, MrzResult

MATCH = "match"
LIKELY_MATCH = "likely_match"
MISMATCH = "mismatch"
UNREADABLE = "unreadable"
NOT_ANSWERED = "not_answered"

STATUS_LABELS = {
    MATCH: _("Matches"),
    LIKELY_MATCH: _("Likely the same (different spelling)"),
    MISMATCH: _("Differs"),
    UNREADABLE: _("Could not be read"),
    NOT_ANSWERED: _("Not asked"),
}
FIELD_LABELS = {
    "surname": _("Family name"),
    "given_names": _("Given names"),
    "document_number": _("Passport number"),
    "nationality": _("Nationality"),
    "issuing_state": _("Issuing country"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "expiry_date": _("Expiry date"),
}
# The answer key each field is compared with (applications/forms/common.py).
ANSWER_KEYS = {
    "surname": "family_name_latin",
    "given_names": "given_names_latin",
    "document_number": "passport_number",
    "nationality": "citizenship",
    "issuing_state": "passport_country",
    "birth_date": "date_of_birth",
    "sex": "sex",
    "expiry_date": "passport_expires_on",
}

EXPIRED = "expired"
EXPIRING = "expiring"
# The passport must stay valid 6 months after applying (applications/forms/common.py).
EXPIRY_WARNING_MONTHS = 6

# ICAO Doc 9303 part 3, table of Cyrillic transliteration, with the Kazakh letters as Kazakhstan's
# passports write them (Ә A, Ғ G, Қ Q, Ң N, Ө O, Ұ U, Ү U, Һ H, І I).
CYRILLIC_TO_LATIN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH", "З": "Z",
    "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R",
    "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH",
    "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
    "Ә": "A", "Ғ": "G", "Қ": "Q", "Ң": "N", "Ө": "O", "Ұ": "U", "Ү": "U", "Һ": "H", "І": "I",
}  # fmt: skip
# Spellings of one Cyrillic sound across the ICAO, Russian-passport and Kazakh Latin romanisations
# (longest first): folded to one form, they decide a likely match.
_FOLDS = (
    ("SHCH", "SH"), ("ZH", "J"), ("KH", "H"), ("TS", "C"), ("CH", "C"), ("Q", "K"), ("X", "H"),
    ("W", "U"), ("Y", "I"), ("IU", "U"), ("IA", "A"), ("IE", "E"),
)  # fmt: skip
# Doc 9303 part 3, 5: Germany's code is the single letter D.
_MRZ_ONLY_CODES = {"D": "DEU"}


@dataclass(frozen=True)
class FieldMatch:
    field: str
    status: str
    read: str = ""
    typed: str = ""

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class MrzComparison:
    fields: list[FieldMatch] = field(default_factory=list)
    expiry_flag: str | None = None

    @property
    def differences(self) -> list[FieldMatch]:
        return [f for f in self.fields if f.status == MISMATCH]

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": {f.field: {"status": f.status, "read": f.read, "typed": f.typed} for f in self.fields},
            "expiry_flag": self.expiry_flag,
        }


def to_mrz_name(text: str) -> str:
    """A typed name as the zone writes it: ICAO transliteration, A-Z and fillers only."""
    out = []
    for char in str(text).upper():
        if char in CYRILLIC_TO_LATIN:
            out.append(CYRILLIC_TO_LATIN[char])
            continue
        base = unicodedata.normalize("NFKD", char)[:1]
        if "A" <= base <= "Z":
            out.append(base)
        elif char in " -,." or char.isspace():
            out.append(FILLER)
        # apostrophes and anything else are dropped (Doc 9303 part 3, 6.A)
    return FILLER.join(part for part in "".join(out).split(FILLER) if part)


def _folded(name: str) -> str:
    key = name.replace(FILLER, "")
    for spelling, folded in _FOLDS:
        key = key.replace(spelling, folded)
    # doubled letters (Nurlann, Mukhammed) are one sound
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


def _name_status(read: str, typed: str, *, width: int, truncated: bool) -> str:
    if not typed:
        return NOT_ANSWERED
    if not read:
        return UNREADABLE
    zone_typed = to_mrz_name(typed)
    if truncated:
        zone_typed = zone_typed[:width]
    if zone_typed == read.replace(" ", FILLER):
        return MATCH
    if _folded(zone_typed) == _folded(read.replace(" ", FILLER)):
        return LIKELY_MATCH
    if truncated and _folded(zone_typed).startswith(_folded(read.replace(" ", FILLER))):
        return LIKELY_MATCH
    return MISMATCH


def _yymmdd(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%y%m%d")
    except ValueError:
        return ""


def _alpha3(code: Any) -> str:
    from django_countries import countries

    code = str(code or "").strip().upper()
    if len(code) == 3:
        return code
    return countries.alpha3(code) or "" if code else ""


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: day 28 exists in every month


def mrz_compare(mrz: MrzResult, answers: Mapping[str, Any], *, today: date | None = None) -> MrzComparison:
    """Compare the read zone with the typed answers, field by field."""
    today = today or date.today()
    comparison = MrzComparison()
    parsed = mrz.format is not None
    failed = set(mrz.failed_checks)

    def typed(name: str) -> str:
        return str(answers.get(ANSWER_KEYS[name]) or "").strip()

    def add(name: str, status: str, read: str = "", shown: str = "") -> None:
        comparison.fields.append(FieldMatch(name, status, read, shown or typed(name)))

    # Names: the zone's name part is full (no trailing filler) when the name was truncated.
    line = mrz.lines[-1] if mrz.format == "TD1" else (mrz.lines[0] if parsed else "")
    width = (LAYOUTS[mrz.format][1] - (0 if mrz.format == "TD1" else 5)) if parsed and mrz.format else 0
    truncated = bool(line) and not line.endswith(FILLER)
    for name, read in (("surname", mrz.surname), ("given_names", mrz.given_names)):
        status = _name_status(read, typed(name), width=width, truncated=truncated) if parsed else UNREADABLE
        if not typed(name):
            status = NOT_ANSWERED
        add(name, status, read)

    def compare(name: str, read: str, typed_value: str, check: str | None) -> None:
        if not typed_value:
            add(name, NOT_ANSWERED, read)
        elif not parsed or not read or FILLER in read or (check is not None and check in failed):
            add(name, UNREADABLE, read)
        else:
            add(name, MATCH if read == typed_value else MISMATCH, read)

    number = "".join(c for c in typed("document_number").upper() if c.isalnum())
    compare("document_number", mrz.document_number, number, "document_number")
    nationality = mrz.nationality and _MRZ_ONLY_CODES.get(mrz.nationality, mrz.nationality)
    citizenships = {_alpha3(answers.get("citizenship")), _alpha3(answers.get("second_citizenship"))} - {""}
    if nationality in citizenships:
        add("nationality", MATCH, nationality)
    else:
        compare("nationality", nationality, _alpha3(answers.get("citizenship")), None)
    state = mrz.issuing_state and _MRZ_ONLY_CODES.get(mrz.issuing_state, mrz.issuing_state)
    compare("issuing_state", state, _alpha3(typed("issuing_state")), None)
    compare("birth_date", mrz.birth_date_raw, _yymmdd(typed("birth_date")), "birth_date")
    compare("sex", mrz.sex, typed("sex").upper()[:1], None)
    compare("expiry_date", mrz.expiry_date_raw, _yymmdd(typed("expiry_date")), "expiry_date")

    expires = mrz.expiry_date(today) if parsed and "expiry_date" not in failed else None
    if expires is not None:
        if expires < today:
            comparison.expiry_flag = EXPIRED
        elif expires < _add_months(today, EXPIRY_WARNING_MONTHS):
            comparison.expiry_flag = EXPIRING
    return comparison
