"""Segments per GSM 03.38: GSM-7 160/153, UCS-2 70/67, extension characters count twice."""

import pytest

from applications.sms.segments import GSM7, UCS2, sms_segments

CASES = [
    # (text, encoding, units, segments)
    ("", GSM7, 0, 1),
    ("a" * 160, GSM7, 160, 1),
    ("a" * 161, GSM7, 161, 2),
    ("a" * 306, GSM7, 306, 2),
    ("a" * 307, GSM7, 307, 3),
    # Latin with GSM accents and Greek capitals stays GSM-7.
    ("Åland é à ü ñ Ø Δ Ω", GSM7, 19, 1),
    # Extension table: two septets each.
    ("€" * 80, GSM7, 160, 1),
    ("€" * 81, GSM7, 162, 2),
    ("[x]{y}~|^\\", GSM7, 18, 1),
    # An escape and its character never straddle parts: 152 + € (2) starts part two.
    ("a" * 152 + "€" + "a" * 10, GSM7, 164, 2),
    # Cyrillic (Russian, Kazakh letters) and Chinese: UCS-2.
    ("П" * 70, UCS2, 70, 1),
    ("П" * 71, UCS2, 71, 2),
    ("Қазақстан" * 15, UCS2, 135, 3),
    ("中" * 134, UCS2, 134, 2),
    ("中" * 135, UCS2, 135, 3),
    # One non-GSM character makes the whole text UCS-2.
    ("a" * 69 + "ә", UCS2, 70, 1),
    ("a" * 70 + "ә", UCS2, 71, 2),
    # Latin letters outside GSM-7 (Uzbek's oʻ modifier letter) too.
    ("Oʻzbekiston", UCS2, 11, 1),
    # Astral characters are two UTF-16 units and are not split.
    ("😀" * 35, UCS2, 70, 1),
    ("😀" * 36, UCS2, 72, 2),
    ("a" * 66 + "😀" + "a" * 10, UCS2, 78, 2),
]


@pytest.mark.parametrize(("text", "encoding", "units", "count"), CASES)
def test_segments_follow_gsm_03_38(text, encoding, units, count):
    result = sms_segments(text)
    assert (result.encoding, result.units, result.count) == (encoding, units, count)


def test_an_escape_pair_at_a_part_boundary_moves_to_the_next_part():
    # 153 septets fit exactly in part one; the same text with € at 153 cannot split it.
    assert sms_segments("a" * 153 + "a" * 154).count == 3
    assert sms_segments("a" * 152 + "€" + "a" * 153).count == 3
    assert sms_segments("a" * 151 + "€" + "a" * 153).count == 2
