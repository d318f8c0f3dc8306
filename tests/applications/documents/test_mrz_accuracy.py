"""Measured accuracy (issue 18): a seeded corpus of generated pages read by the real Tesseract.

Targets: >= 98% of clean pages read with every check digit valid, >= 90% of pages with one
phone-like distortion; a valid read never carries a wrong check-digit field; planted typos in the
typed answers are never reported as a match. The bigger run is benchmarks/bench_mrz_accuracy.py.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from applications.documents.mrz_corpus import distortions, planted
from applications.documents.mrz_match import MATCH, mrz_compare
from applications.documents.mrz_ocr import mrz_read, ocr_available
from applications.documents.specimen import data_page, ocr_b_font_path, random_passport
from tests.services import unavailable

PAGES = 5  # per distortion: 7 x 5 pages at ~0.45 s keeps this file near 20 s
PHONE_LIKE = ("rotated", "perspective", "blur", "jpeg40", "low_light", "glare")
TODAY = date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _ocr_engine():
    if not ocr_available():
        unavailable("Tesseract is not installed (Debian package tesseract-ocr; see .ci/ocr)")
    if ocr_b_font_path() is None:
        unavailable("the OCR-B font is not installed (Debian package fonts-ocr-b; see .ci/ocr)")


@pytest.fixture(scope="module")
def corpus():
    """(distortion, data, read) for PAGES seeded passports under each distortion."""
    rows = []
    for seed in range(100, 100 + PAGES):
        data = random_passport(random.Random(seed))
        page = data_page(data)
        for name, apply in distortions(seed).items():
            if name == "clean" or name in PHONE_LIKE:
                rows.append((name, data, mrz_read(apply(page))))
    return rows


def rate(rows, names):
    picked = [read for name, _, read in rows if name in names]
    return sum(read.result.is_valid for read in picked) / len(picked)


def test_clean_pages_are_read_with_every_check_digit(corpus):
    assert rate(corpus, {"clean"}) >= 0.98


def test_phone_like_pages_reach_ninety_percent(corpus):
    assert rate(corpus, set(PHONE_LIKE)) >= 0.90


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def test_wrong_but_valid_reads_only_swap_check_digit_twins(corpus):
    """A valid read that is wrong differs only by characters whose Doc 9303 values are equal
    modulo 10 (G read as 6: 16 and 6), which no check digit can catch."""
    for name, data, read in corpus:
        if read.result.is_valid:
            expected = data.mrz_lines()[1]
            for want, got in zip(expected, read.result.lines[1], strict=True):
                assert want == got or _value(want) % 10 == _value(got) % 10, (name, read.result.lines, expected)


@pytest.mark.xfail(strict=True, reason="known gap: OCR-B G is read as 6 in the document number (issue 18)")
def test_no_wrong_but_valid_reads(corpus):
    wrong = [
        read.result.lines
        for _, data, read in corpus
        if read.result.is_valid and list(read.result.lines)[1] != data.mrz_lines()[1]
    ]
    assert not wrong


def test_planted_typos_are_never_a_match(corpus):
    rng = random.Random(7)
    others = [data for _, data, _ in corpus]
    for name, data, read in corpus:
        field, answers = planted(data, rng, rng.choice(others))
        statuses = {f.field: f.status for f in mrz_compare(read.result, answers, today=TODAY).fields}
        assert statuses[field] != MATCH, (name, field, answers, read.result.lines)
