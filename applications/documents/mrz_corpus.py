"""A seeded MRZ accuracy corpus: synthetic data pages, phone-like distortions, planted mismatches.

Used by tests/applications/documents/test_mrz_accuracy.py (issue 18, "Measured accuracy").
Pages come from ``specimen``; this module adds the distortions a phone photo brings (perspective,
low light, glare) and the typed answers with one planted error each, so that ``mrz_compare`` can
be checked never to say "match" for the planted field.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .mrz_match import ANSWER_KEYS
from .specimen import PassportData, distort

_ALPHA2 = {"KAZ": "KZ", "UZB": "UZ", "CHN": "CN", "RUS": "RU", "MNG": "MN", "TUR": "TR"}


def perspective(page: Image.Image, rng: random.Random, strength: float = 0.06) -> Image.Image:
    """A keystone as from a phone held at an angle: each corner moved inwards by up to ``strength``."""
    w, h = page.size
    pad = [rng.uniform(0, strength) for _ in range(8)]
    # Source quad (page corners seen in the photo) mapped to the output rectangle.
    quad = (
        pad[0] * w, pad[1] * h,
        pad[2] * w, h - pad[3] * h,
        w - pad[4] * w, h - pad[5] * h,
        w - pad[6] * w, pad[7] * h,
    )  # fmt: skip
    return page.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=250)


def low_light(page: Image.Image, factor: float = 0.45, noise: int = 12, seed: int = 0) -> Image.Image:
    """Dark, flat and noisy, as an indoor photo: contrast squeezed towards black, sensor noise added."""
    dark = page.convert("L").point(lambda v: round(v * factor) + 10)
    # Seeded uniform noise in [-noise/2, noise/2] (Image.effect_noise cannot be seeded).
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus  # nosec B311
    grain = Image.frombytes("L", dark.size, rng.randbytes(dark.width * dark.height))
    grain = grain.point(lambda v: v * noise // 255)
    return ImageChops.add(dark, grain, scale=1.0, offset=-(noise // 2))


def glare(page: Image.Image, rng: random.Random) -> Image.Image:
    """A bright elliptical highlight (a lamp on the laminate) somewhere on the page."""
    w, h = page.size
    mask = Image.new("L", page.size, 0)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.3, 0.9) * h
    rx, ry = rng.uniform(0.08, 0.18) * w, rng.uniform(0.06, 0.12) * h
    ImageDraw.Draw(mask).ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=150)
    mask = mask.filter(ImageFilter.GaussianBlur(min(rx, ry) / 2))
    return Image.composite(Image.new("L", page.size, 255), page.convert("L"), mask)


def distortions(seed: int) -> dict[str, Callable[[Image.Image], Image.Image]]:
    """Named distortions, each seeded: the corpus rows of the accuracy table."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus  # nosec B311
    angle = rng.uniform(-10, 10)
    return {
        "clean": lambda p: p,
        "rotated": lambda p: distort(p, angle=angle),
        "perspective": lambda p: perspective(p, rng),
        "blur": lambda p: distort(p, blur=1.2),
        "jpeg40": lambda p: distort(p, jpeg_quality=40),
        "low_light": lambda p: low_light(p, seed=seed),
        "glare": lambda p: glare(p, rng),
        "phone": lambda p: distort(low_light(perspective(distort(p, angle=angle / 3), rng), factor=0.7, seed=seed),
                                   blur=0.8, jpeg_quality=40),
    }  # fmt: skip


def answers_for(data: PassportData) -> dict[str, Any]:
    """The answers an applicant with this passport types (alpha-2 citizenship, ISO dates)."""
    return {
        ANSWER_KEYS["surname"]: data.surname,
        ANSWER_KEYS["given_names"]: data.given_names,
        ANSWER_KEYS["document_number"]: data.number,
        ANSWER_KEYS["nationality"]: _ALPHA2.get(data.nationality, data.nationality),
        ANSWER_KEYS["issuing_state"]: _ALPHA2.get(data.issuing_state, data.issuing_state),
        ANSWER_KEYS["birth_date"]: data.birth.isoformat(),
        ANSWER_KEYS["sex"]: data.sex,
        ANSWER_KEYS["expiry_date"]: data.expiry.isoformat(),
    }


def planted(data: PassportData, rng: random.Random, other: PassportData) -> tuple[str, dict[str, Any]]:
    """Typed answers with one planted error: (the field it is in, the answers)."""
    answers = answers_for(data)
    kind = rng.choice(("letter", "swap", "other_birth", "date_off"))
    if kind == "letter":
        field = "surname"
        name = data.surname
        i = rng.randrange(len(name))
        # A different letter that no transliteration folds into the same one.
        answers[ANSWER_KEYS[field]] = name[:i] + ("X" if name[i] not in "XKH" else "M") + name[i + 1 :]
    elif kind == "swap":
        field = "document_number"
        number = data.number
        pairs = [i for i in range(1, len(number) - 1) if number[i] != number[i + 1]]
        if not pairs:
            number = number[:-1] + str((int(number[-1]) + 1) % 10)
            answers[ANSWER_KEYS[field]] = number
        else:
            i = rng.choice(pairs)
            answers[ANSWER_KEYS[field]] = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    elif kind == "other_birth" and other.birth != data.birth:
        field = "birth_date"
        answers[ANSWER_KEYS[field]] = other.birth.isoformat()
    else:
        field = "expiry_date"
        answers[ANSWER_KEYS[field]] = (data.expiry + timedelta(days=rng.choice((-1, 1, 365)))).isoformat()
    return field, answers


__all__ = ["answers_for", "distortions", "glare", "low_light", "perspective", "planted"]
