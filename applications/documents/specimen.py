"""Synthetic passport data pages (TD3) with the MRZ set in OCR-B: fixtures, benchmark and demo.

Nothing here is a real person's document: the data are made up and the page says SPECIMEN.
The layout follows ICAO Doc 9303 part 4 (125 x 88 mm, MRZ in OCR-B at 10 characters per inch,
two lines at the bottom) at 300 dpi. OCR-B comes from Debian's fonts-ocr-b package; without it
``ocr_b_font_path`` returns None and callers skip.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .mrz import check_digit

DPI = 300
PAGE_MM = (125, 88)
# Where Debian installs fonts; OCR-B is packaged as fonts-ocr-b.
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


@cache
def ocr_b_font_path() -> Path | None:
    for root in _FONT_DIRS:
        if root.is_dir():
            for candidate in sorted(root.rglob("OCRB.otf")):
                return candidate
    return None


@dataclass(frozen=True)
class PassportData:
    surname: str = "NURLANQYZY"
    given_names: str = "AIGERIM"
    number: str = "N12345678"
    nationality: str = "KAZ"
    issuing_state: str = "KAZ"
    birth: date = date(1990, 5, 27)
    sex: str = "F"
    expiry: date = date(2031, 1, 1)
    personal_number: str = ""

    def mrz_lines(self) -> list[str]:
        """The two TD3 lines of these data, with every check digit."""
        names = f"{self.surname}<<{self.given_names}".replace(" ", "<").replace("-", "<")
        line1 = f"P<{self.issuing_state}{names}".ljust(44, "<")[:44]
        number = self.number.ljust(9, "<")[:9]
        born, expires = self.birth.strftime("%y%m%d"), self.expiry.strftime("%y%m%d")
        optional = self.personal_number.ljust(14, "<")[:14]
        optional_check = "<" if set(optional) == {"<"} else check_digit(optional)
        body = (
            f"{number}{check_digit(number)}{self.nationality}{born}{check_digit(born)}{self.sex}"
            f"{expires}{check_digit(expires)}{optional}{optional_check}"
        )
        composite = body[0:10] + body[13:20] + body[21:43]
        return [line1, body + check_digit(composite)]


_SURNAMES = ("NURLANQYZY", "ZHUMABEKOV", "IBRAGIMOVA", "SEITKALI", "OMAROV", "TOKTAROVA", "WANG", "ABDULLAEV")
_GIVEN = ("AIGERIM", "DAULET", "ANNA MARIA", "YERLAN", "DINARA", "ASKAR", "MEI", "TIMUR")
_STATES = ("KAZ", "UZB", "CHN", "RUS", "MNG", "TUR")


def random_passport(rng: random.Random) -> PassportData:
    """Random but valid data: real-looking names, dates in range, alphanumeric numbers."""
    state = rng.choice(_STATES)
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    number = rng.choice(letters) + "".join(rng.choice("0123456789") for _ in range(8))
    return PassportData(
        surname=rng.choice(_SURNAMES),
        given_names=rng.choice(_GIVEN),
        number=number,
        nationality=state,
        issuing_state=state,
        birth=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        sex=rng.choice("MF"),
        expiry=date(rng.randint(2025, 2036), rng.randint(1, 12), rng.randint(1, 28)),
        personal_number="".join(rng.choice("0123456789") for _ in range(12)) if rng.random() < 0.5 else "",
    )


def data_page(data: PassportData, *, mrz_lines: list[str] | None = None) -> Image.Image:
    """A 300 dpi grey-scale TD3 data page: visual zone with labels and photo box, MRZ at the bottom."""
    font_path = ocr_b_font_path()
    if font_path is None:
        raise FileNotFoundError("OCR-B font not installed (Debian package fonts-ocr-b)")
    width, height = (round(mm / 25.4 * DPI) for mm in PAGE_MM)
    page = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(page)
    # Light guilloche-like background lines, as security printing has.
    for y in range(0, height, 9):
        draw.line([(0, y), (width, y + 40)], fill=222, width=1)
    label = ImageFont.truetype(str(font_path), 22)
    value = ImageFont.truetype(str(font_path), 34)
    draw.text((60, 40), "PASSPORT  SPECIMEN", font=value, fill=40)
    draw.rectangle([60, 120, 400, 560], fill=170, outline=90, width=3)  # photo
    rows = (
        ("Surname", data.surname),
        ("Given names", data.given_names),
        ("Nationality", data.nationality),
        ("Date of birth", data.birth.strftime("%d %m %Y")),
        ("Sex", data.sex),
        ("Date of expiry", data.expiry.strftime("%d %m %Y")),
        ("Passport No.", data.number),
    )
    for i, (name, text) in enumerate(rows):
        y = 120 + i * 62
        draw.text((450, y), name, font=label, fill=90)
        draw.text((450, y + 22), text, font=value, fill=30)
    # MRZ: OCR-B size 1 at 10 characters per inch (Doc 9303 part 3, 4.2), lines 6 mm from the foot.
    pitch = DPI / 10
    size = 10
    mrz_font = ImageFont.truetype(str(font_path), size)
    while mrz_font.getlength("<") < pitch:
        size += 1
        mrz_font = ImageFont.truetype(str(font_path), size)
    lines = mrz_lines or data.mrz_lines()
    left = round((width - 44 * pitch) / 2)
    for row, line in enumerate(lines):
        y = height - 170 + row * 70
        for col, char in enumerate(line):
            draw.text((left + col * pitch, y), char, font=mrz_font, fill=15)
    return page


def distort(
    page: Image.Image, *, angle: float = 0.0, blur: float = 0.0, jpeg_quality: int | None = None
) -> Image.Image:
    """Rotation (as a crooked scan), blur and JPEG compression, as phones and scanners add."""
    out = page
    if angle:
        out = out.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    if jpeg_quality:
        buffer = io.BytesIO()
        out.save(buffer, "JPEG", quality=jpeg_quality)
        out = Image.open(io.BytesIO(buffer.getvalue()))
        out.load()
    return out


def page_bytes(page: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    page.convert("RGB").save(buffer, fmt)
    return buffer.getvalue()
