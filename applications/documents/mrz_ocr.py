"""Find and read the MRZ on a passport scan or a photo of the data page.

Steps: straighten the page (the angle that makes text rows sharpest), find the zone (the last
two or three long, evenly spaced text lines at the bottom), OCR it with Tesseract (Debian's
``tesseract-ocr``, English model restricted to the MRZ alphabet), then rebuild each line cell by
cell. The MRZ is monospaced (OCR-B, 10 characters per inch), so every character box Tesseract
returns is put into its cell by position. That rebuild is what makes stock Tesseract usable here:
it reads runs of ``<`` fillers badly (merges them, or calls one a K), but a filler is shorter than
a letter or digit and an empty cell is a filler. Last, characters that the field's type rules out
are swapped for their look-alikes (O and 0, I and 1...), and a document number whose check digit
fails is tried with one look-alike swapped: the check digit decides.

``mrz_read`` never raises on an image: no zone, no Tesseract, or a failed OCR is a result with
``result.format`` None and a problem code, which the pipeline reports without blocking.
"""

from __future__ import annotations

import logging
import os
import shutil
import statistics
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageOps

from .mrz import FILLER, LAYOUTS, MrzResult, check_digit, mrz_parse

logger = logging.getLogger(__name__)

NO_OCR_ENGINE = "no_ocr_engine"
NO_ZONE = "no_zone"
OCR_FAILED = "ocr_failed"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_TESSERACT_CONFIG = f"--psm 6 -c tessedit_char_whitelist={_ALPHABET}"
# Longest side the zone search works on; OCR runs on the full-resolution crop.
_SEARCH_SIDE = 900
# Line heights (pixels) the zone is scaled to for each OCR pass, tried in this order.
_PASS_HEIGHTS = (16, 30)
_MAX_SKEW_DEGREES = 12
# A filler box is about 0.81 of the height of a letter or digit in OCR-B.
_FILLER_HEIGHT = 0.86
_TO_DIGIT = str.maketrans("OQDUILZSGBTA", "001011256874")
_TO_LETTER = str.maketrans("0125684", "OIZSGBA")
_LOOKALIKES = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8", "2": "Z", "Z": "2"}
_LOOKALIKES |= {"6": "G", "G": "6", "D": "0"}
# Character positions per layout and line that hold digits (dates, check digits) or only
# letters (codes, sex, names); the rest (numbers, optional data) may hold either.
_DIGITS = {
    "TD3": ((), (9, *range(13, 20), *range(21, 28), 42, 43)),
    "TD2": ((), (9, *range(13, 20), *range(21, 28), 35)),
    "TD1": ((), (*range(0, 7), *range(8, 15), 29), ()),
}
# (line, first position, check digit position) of the dates, per layout.
_DATE_FIELDS = {
    "TD3": ((1, 13, 19), (1, 21, 27)),
    "TD2": ((1, 13, 19), (1, 21, 27)),
    "TD1": ((1, 0, 6), (1, 8, 14)),
}
_LETTERS = {
    "TD3": (tuple(range(0, 44)), (10, 11, 12, 20)),
    "TD2": (tuple(range(0, 36)), (10, 11, 12, 20)),
    "TD1": ((0, 1, 2, 3, 4), (7, 15, 16, 17), tuple(range(0, 30))),
}


@dataclass
class MrzRead:
    """What OCR made of a page: the parsed zone, a confidence in 0..1, the raw lines."""

    result: MrzResult
    confidence: float = 0.0
    angle: float = 0.0
    raw: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.result.as_dict(), "confidence": round(self.confidence, 2), "angle": round(self.angle, 1)}


def ocr_available() -> bool:
    """Whether the Tesseract binary is installed (Debian package tesseract-ocr)."""
    return shutil.which("tesseract") is not None


def mrz_read(image: Image.Image) -> MrzRead:
    """Locate, straighten, OCR and parse the MRZ of one page image."""
    if not ocr_available():
        return MrzRead(MrzResult(format=None, problems=[NO_OCR_ENGINE]))
    gray = ImageOps.grayscale(image) if image.mode != "L" else image
    angle = _skew_angle(gray)
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    found = _zone(gray)
    if found is None:
        return MrzRead(MrzResult(format=None, problems=[NO_ZONE]), angle=angle)
    zone, line_height = found
    crop = gray.crop(zone)
    best: MrzRead | None = None
    # Tesseract misreads differ with the letter size: read small first (faster), then larger,
    # and keep the read whose check digits hold best.
    for target in _PASS_HEIGHTS:
        scale = target / max(1, line_height)
        scaled = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))))
        try:
            boxes = _boxes(scaled)
        except Exception:  # Tesseract crashed or timed out: a result, not an error page
            logger.warning("tesseract failed on an MRZ crop", exc_info=True)
            continue
        read = _rebuild(boxes)
        if best is None or _rank(read) > _rank(best):
            best = read
        if best.result.is_valid:
            break
    if best is None:
        return MrzRead(MrzResult(format=None, problems=[OCR_FAILED]), angle=angle)
    best.angle = angle
    return best


def _rank(read: MrzRead) -> tuple[bool, int, float]:
    return (read.result.is_valid, sum(c.is_valid for c in read.result.checks), read.confidence)


def _binary(gray: Image.Image) -> Image.Image:
    """Dark ink as 255 on 0, with Otsu's threshold (robust to low light and grey paper)."""
    histogram = gray.histogram()
    total = sum(histogram)
    sum_all = sum(i * h for i, h in enumerate(histogram))
    best, threshold, weight_b, sum_b = 0.0, 128, 0, 0
    for i, count in enumerate(histogram):
        weight_b += count
        if weight_b == 0:
            continue
        weight_f = total - weight_b
        if weight_f == 0:
            break
        sum_b += i * count
        mean_b, mean_f = sum_b / weight_b, (sum_all - sum_b) / weight_f
        between = weight_b * weight_f * (mean_b - mean_f) ** 2
        if between > best:
            best, threshold = between, i
    return gray.point(lambda v: 255 if v <= threshold else 0)


def _row_sharpness(ink: Image.Image, angle: float) -> float:
    rotated = ink.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=0)
    rows = [float(v) for v in rotated.resize((1, rotated.height), Image.Resampling.BOX).get_flattened_data()]  # type: ignore[arg-type]
    return float(sum((b - a) ** 2 for a, b in zip(rows, rows[1:], strict=False)))


def _skew_angle(gray: Image.Image) -> float:
    """The rotation that makes text rows sharpest (projection profile), coarse then fine."""
    scale = _SEARCH_SIDE / max(gray.size)
    small = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))))
    ink = _binary(small)
    coarse = max(range(-_MAX_SKEW_DEGREES, _MAX_SKEW_DEGREES + 1), key=lambda a: _row_sharpness(ink, a))
    fine = [coarse + step / 5 for step in range(-5, 6)]
    return max(fine, key=lambda a: _row_sharpness(ink, a))


def _zone(gray: Image.Image) -> tuple[tuple[int, int, int, int], float] | None:
    """The box around the last 2 or 3 long text lines in the lower half of the page, and their height."""
    ink = _binary(gray)
    width, height = ink.size
    rows = [float(v) for v in ink.resize((1, height), Image.Resampling.BOX).get_flattened_data()]  # type: ignore[arg-type]
    bands: list[tuple[int, int]] = []
    start = None
    for y, value in enumerate([*rows, 0]):
        if value > 4 and start is None:
            start = y
        elif value <= 4 and start is not None:
            if y - start >= 6:
                bands.append((start, y))
            start = None
    lines = []
    for top, bottom in bands:
        box = ink.crop((0, top, width, bottom)).getbbox()
        if box and box[2] - box[0] > 0.55 * width and top > height * 0.4:
            lines.append((box[0], top, box[2], bottom))
    if len(lines) < 2:
        return None
    lines = lines[-3:] if len(lines) >= 3 and _evenly_spaced(lines[-3:]) else lines[-2:]
    left = min(box[0] for box in lines)
    right = max(box[2] for box in lines)
    line_height = statistics.median(box[3] - box[1] for box in lines)
    margin = round(line_height * 0.6)
    box = (
        max(0, left - margin),
        max(0, lines[0][1] - margin),
        min(width, right + margin),
        min(height, lines[-1][3] + margin),
    )
    return box, float(line_height)


def _evenly_spaced(lines: list[tuple[int, int, int, int]]) -> bool:
    gaps = [b[1] - a[1] for a, b in zip(lines, lines[1:], strict=False)]
    heights = [b[3] - b[1] for b in lines]
    return max(gaps) - min(gaps) <= 0.4 * statistics.median(heights) and max(heights) <= 1.5 * min(heights)


@dataclass(frozen=True)
class _Box:
    char: str
    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def cx(self) -> float:
        return (self.x1 + self.x2) / 2

    @property
    def cy(self) -> float:
        return (self.y1 + self.y2) / 2

    @property
    def height(self) -> int:
        return self.y2 - self.y1


def _boxes(crop: Image.Image) -> list[_Box]:
    import pytesseract

    # One worker is one core: Tesseract's OpenMP threads only fight the other workers for it
    # (measured: 3x slower wall-clock on a loaded 2-core machine with the default threads).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    text = pytesseract.image_to_boxes(crop, config=_TESSERACT_CONFIG, timeout=20)
    boxes = []
    for row in text.splitlines():
        parts = row.split(" ")
        if len(parts) >= 5 and len(parts[0]) == 1 and parts[0] in _ALPHABET:
            x1, y1, x2, y2 = (int(p) for p in parts[1:5])
            boxes.append(_Box(parts[0], x1, crop.height - y2, x2, crop.height - y1))
    return boxes


def _lines_of(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into text lines by vertical centre, top to bottom, left to right."""
    if not boxes:
        return []
    height = statistics.median(b.height for b in boxes)
    lines: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if lines and abs(statistics.median(b.cy for b in lines[-1]) - box.cy) < 0.6 * height:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.cx) for line in lines if len(line) >= 10]


def _rebuild(boxes: list[_Box]) -> MrzRead:
    lines = _lines_of(boxes)
    raw = ["".join(b.char for b in line) for line in lines]
    candidates: list[tuple[int, float, MrzRead]] = []
    for layout, (count, width) in LAYOUTS.items():
        if len(lines) < count:
            continue
        chosen = lines[-count:]
        pitch = _pitch(chosen)
        measured = max((line[-1].cx - line[0].cx) / pitch + 1 for line in chosen)
        if abs(measured - width) > 3:  # a 44-character zone is no 36-character one
            continue
        cap = sorted(b.height for b in boxes)[int(len(boxes) * 0.9)]
        # The zone's left edge: from the leftmost character (every layout starts each line with
        # a letter or digit), or counted back from the last line's composite check digit; a
        # character Tesseract missed at either end would shift one of them by a cell.
        lefts = {min(line[0].cx for line in chosen), chosen[-1][-1].cx - (width - 1) * pitch}
        for left in lefts:
            texts, guessed = _cells(chosen, width, left, pitch, cap)
            texts, uncertain = _fix_types(layout, _fix_name_fillers(layout, texts))
            texts = _fix_document_number(layout, _fix_dates(layout, texts, uncertain))
            result = mrz_parse(texts)
            if result.format is None:
                continue
            valid = sum(c.is_valid for c in result.checks)
            confidence = valid / len(result.checks) * (1 - 0.5 * guessed / (count * width))
            candidates.append((valid, confidence, MrzRead(result, confidence=confidence, raw=raw)))
    if not candidates:
        return MrzRead(mrz_parse("\n".join(raw)) if raw else MrzResult(format=None, problems=[NO_ZONE]), raw=raw)
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _pitch(lines: list[list[_Box]]) -> float:
    """The character pitch: the usual distance between neighbouring single-character boxes."""
    steps = [
        b.cx - a.cx
        for line in lines
        for a, b in zip(line, line[1:], strict=False)
        if a.x2 - a.x1 < 1.2 * a.height and b.x2 - b.x1 < 1.2 * b.height and b.cx > a.cx
    ]
    if not steps:
        return float(max(1, lines[-1][0].height))
    usual = statistics.median(steps)
    return statistics.median([s for s in steps if 0.6 * usual < s < 1.4 * usual] or [usual])


def _cells(lines: list[list[_Box]], width: int, left: float, pitch: float, cap: int) -> tuple[list[str], int]:
    """Place each box in its monospaced cell; empty cells and boxes shorter than a letter are fillers."""
    texts, guessed = [], 0
    for line in lines:
        cells: list[tuple[float, str] | None] = [None] * width
        for box in line:
            span = round((box.x2 - box.x1 - 0.7 * pitch) / pitch) + 1
            if span > 1 and (box.char != FILLER and box.height >= _FILLER_HEIGHT * cap):
                continue  # letters or digits merged into one box: their cells stay unread
            if span > 1:  # a run of fillers read as one wide box
                for k in range(span):
                    index = round((box.x1 + 0.35 * pitch + k * pitch - left) / pitch)
                    if 0 <= index < width and cells[index] is None:
                        cells[index] = (pitch, FILLER)
                continue
            index = round((box.cx - left) / pitch)
            if not 0 <= index < width:
                continue
            distance = abs(box.cx - (left + index * pitch))
            char = FILLER if box.height < _FILLER_HEIGHT * cap else box.char
            held = cells[index]
            if held is None or distance < held[0]:
                cells[index] = (distance, char)
        guessed += sum(1 for c in cells if c is None)
        texts.append("".join(c[1] if c else FILLER for c in cells))
    return texts, guessed


def _fix_name_fillers(layout: str, texts: list[str]) -> list[str]:
    """After the given names, the name zone holds only fillers (Doc 9303 part 3, 4.6: a double
    filler appears once, between surname and given names): a letter Tesseract saw among the
    trailing fillers is a misread filler."""
    line, start = (2, 0) if layout == "TD1" else (0, 5)
    zone = texts[line][start:]
    surname, separator, given = zone.partition(FILLER * 2)
    if not separator:
        return texts
    given_names, end, _rest = given.partition(FILLER * 2)
    if not end:
        return texts
    kept = surname + separator + given_names
    texts = list(texts)
    texts[line] = texts[line][:start] + kept.ljust(len(zone), FILLER)
    return texts


def _fix_types(layout: str, texts: list[str]) -> tuple[list[str], set[tuple[int, int]]]:
    """Letters where only digits may stand become their look-alike digit, and the reverse.

    Returns the lines and the (line, position) of every digit that was not read as one."""
    fixed, uncertain = [], set()
    for line, text in enumerate(texts):
        chars = list(text)
        for i in _DIGITS[layout][line]:
            if i < len(chars) and not chars[i].isdigit():
                uncertain.add((line, i))
                chars[i] = chars[i].translate(_TO_DIGIT)
        for i in _LETTERS[layout][line]:
            if i < len(chars) and chars[i] != FILLER:
                chars[i] = chars[i].translate(_TO_LETTER)
        fixed.append("".join(chars))
    return fixed, uncertain


def _fix_dates(layout: str, texts: list[str], uncertain: set[tuple[int, int]]) -> list[str]:
    """A date with one digit not read as a digit, and a failing check: the check digit decides.

    With weights 7, 3, 1 against modulus 10 exactly one digit fits one unknown position
    (Doc 9303 part 3, 4.9); only a position OCR visibly got wrong is solved, and the
    composite check digit still has to agree."""
    texts = list(texts)
    for line, start, end in _DATE_FIELDS[layout]:
        doubtful = [i for i in range(start, end + 1) if (line, i) in uncertain]
        text = texts[line]
        if len(doubtful) != 1 or (text[end] == check_digit(text[start:end]) and text[end].isdigit()):
            continue
        position = doubtful[0]
        for digit in "0123456789":
            trial = text[:position] + digit + text[position + 1 :]
            if trial[end] == check_digit(trial[start:end]):
                texts[line] = trial
                break
    return texts


def _fix_document_number(layout: str, texts: list[str]) -> list[str]:
    """A document number whose check digit fails, retried with one look-alike swapped."""
    line, start = (0, 5) if layout == "TD1" else (1, 0)
    text = texts[line]
    number, printed = text[start : start + 9], text[start + 9]
    if printed == FILLER or check_digit(number) == printed:
        return texts
    fits = []
    for i, char in enumerate(number):
        if char in _LOOKALIKES:
            candidate = number[:i] + _LOOKALIKES[char] + number[i + 1 :]
            if check_digit(candidate) == printed:
                fits.append(candidate)
    if len(fits) != 1:  # none or ambiguous: leave it failing, never guess
        return texts
    texts = list(texts)
    texts[line] = text[:start] + fits[0] + text[start + 9 :]
    return texts
