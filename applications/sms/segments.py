"""How many SMS segments a text takes (3GPP TS 23.038, the GSM 03.38 alphabet; TS 23.040).

A text written only in the GSM 7-bit alphabet is sent as GSM-7: 160 septets in one
message, 153 per part once it is split (7 septets go to the concatenation header). A
character of the extension table (``{ } [ ] ~ \\ | ^ €`` and form feed) takes two septets,
an escape and the character, and the two never straddle parts. Any other character
(Cyrillic, Kazakh letters, Chinese) sends the whole text as UCS-2: 70 UTF-16 code units in
one message, 67 per part, a surrogate pair (emoji) never split.

The ``gsm0338`` codec says which characters GSM-7 can carry and how many septets each takes.
"""

from dataclasses import dataclass

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# (single message, each part of a split message)
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class Segments:
    encoding: str
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int


def _gsm7_units(text: str) -> list[int] | None:
    """Septets per character, or None when a character is outside GSM-7."""
    try:
        return [len(char.encode("gsm03.38")) for char in text]
    except UnicodeEncodeError:
        return None


def _parts(units: list[int], single: int, part: int) -> int:
    total = sum(units)
    if total <= single:
        return 1
    # Pack greedily: a character that does not fit whole starts the next part.
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def sms_segments(text: str) -> Segments:
    """The encoding, length in units and segment count of ``text`` (an empty text is one SMS)."""
    units = _gsm7_units(text)
    encoding = GSM7
    if units is None:
        encoding = UCS2
        units = [len(char.encode("utf-16-le")) // 2 for char in text]
    single, part = LIMITS[encoding]
    return Segments(encoding=encoding, units=sum(units), count=_parts(units, single, part))
