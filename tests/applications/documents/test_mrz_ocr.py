"""Reading the MRZ off generated OCR-B data pages with the real Tesseract.

Needs Debian's tesseract-ocr and fonts-ocr-b (installed by .ci/ocr): skipped locally without
them, a failure in CI (tests/services.py).
"""

from __future__ import annotations

import random

import pytest
from PIL import Image

from applications.documents.mrz_ocr import NO_OCR_ENGINE, NO_ZONE, mrz_read, ocr_available
from applications.documents.specimen import PassportData, data_page, distort, ocr_b_font_path, random_passport
from tests.services import unavailable


@pytest.fixture(autouse=True)
def _ocr_engine():
    if not ocr_available():
        unavailable("Tesseract is not installed (Debian package tesseract-ocr; see .ci/ocr)")
    if ocr_b_font_path() is None:
        unavailable("the OCR-B font is not installed (Debian package fonts-ocr-b; see .ci/ocr)")


def test_a_clean_page_is_read_with_every_check_digit():
    data = PassportData()
    read = mrz_read(data_page(data))
    assert read.result.is_valid, (read.result.lines, read.raw)
    assert list(read.result.lines) == data.mrz_lines()
    assert (read.result.surname, read.result.given_names) == ("NURLANQYZY", "AIGERIM")
    assert read.confidence > 0.9
    assert read.as_dict()["checks"]["composite"] is True


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_valid_pages_are_read_exactly(seed):
    data = random_passport(random.Random(seed))
    read = mrz_read(data_page(data))
    assert list(read.result.lines) == data.mrz_lines(), read.raw
    assert read.result.is_valid


@pytest.mark.parametrize(
    "distortion",
    [{"angle": 7.0}, {"angle": -9.0}, {"blur": 1.2}, {"jpeg_quality": 40}, {"angle": 4.0, "jpeg_quality": 40}],
)
def test_crooked_blurred_and_compressed_pages_are_straightened_and_read(distortion):
    data = PassportData(surname="ZHUMABEKOV", given_names="DAULET", number="K04718263", sex="M")
    read = mrz_read(distort(data_page(data), **distortion))
    assert list(read.result.lines) == data.mrz_lines(), read.raw
    if "angle" in distortion:
        assert abs(read.angle + distortion["angle"]) <= 1.0


def test_a_planted_wrong_check_digit_is_read_as_wrong_not_repaired():
    data = PassportData()
    lines = data.mrz_lines()
    wrong = str((int(lines[1][19]) + 3) % 10)
    lines[1] = lines[1][:19] + wrong + lines[1][20:]
    read = mrz_read(data_page(data, mrz_lines=lines))
    assert "birth_date" in read.result.failed_checks
    assert not read.result.is_valid


def test_a_page_without_a_zone_is_a_clear_result():
    blank = Image.new("L", (1200, 800), 240)
    read = mrz_read(blank)
    assert read.result.format is None
    assert read.result.problems == [NO_ZONE]
    assert read.confidence == 0


def test_noise_never_raises():
    noise = Image.effect_noise((900, 600), 120)
    read = mrz_read(noise)
    assert not read.result.is_valid


def test_without_tesseract_the_result_says_so(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    read = mrz_read(data_page(PassportData()))
    assert read.result.problems == [NO_OCR_ENGINE]


@pytest.mark.django_db
def test_the_document_pipeline_records_the_mrz_of_a_passport_scan(draft_application, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.documents.services import document_process, document_upload
    from applications.documents.specimen import page_bytes
    from portal.audit.models import AuditEvent

    data = PassportData()
    document = document_upload(
        application=draft_application,
        kind="passport",
        uploaded=SimpleUploadedFile("passport.jpg", page_bytes(data_page(data), "JPEG")),
        actor=applicant,
    )
    document = document_process(document_id=document.pk)
    assert document.status == "ready"
    assert document.mrz["valid"] is True
    assert document.mrz["fields"]["document_number"] == data.number
    assert document.mrz["checks"]["composite"] is True
    assert document.mrz["confidence"] > 0.9
    event = AuditEvent.objects.filter(action="document.processed", object_id=str(document.pk)).get()
    assert event.snapshot["mrz_valid"] is True


@pytest.mark.django_db
def test_an_unreadable_passport_scan_is_accepted_with_the_reason_recorded(draft_application, applicant):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.documents.services import document_process, document_upload

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (230, 230, 230)).save(buffer, "JPEG")
    document = document_upload(
        application=draft_application,
        kind="passport",
        uploaded=SimpleUploadedFile("passport.jpg", buffer.getvalue()),
        actor=applicant,
    )
    document = document_process(document_id=document.pk)
    assert document.status == "ready"
    assert document.mrz["valid"] is False
    assert document.mrz["problems"] == [NO_ZONE]


def test_letters_among_the_trailing_fillers_of_the_name_zone_are_fillers():
    from applications.documents.mrz_ocr import _fix_name_fillers

    line2 = "G695793186MNG6211062M3509272370283822264<<36"
    misread = ["P<MNGWANG<<AIGERIM<<<<<<<<K<<<<<<<<<<<<<<<<<", line2]
    assert _fix_name_fillers("TD3", misread)[0] == "P<MNGWANG<<AIGERIM".ljust(44, "<")
    assert _fix_name_fillers("TD3", ["P<UTOERIKSSON<<ANNA<MARIA" + "<" * 19, line2])[0].startswith(
        "P<UTOERIKSSON<<ANNA<MARIA<"
    )
    td1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<<<<<<<<<<<E<<<<"]
    assert _fix_name_fillers("TD1", td1)[2] == "ERIKSSON<<ANNA".ljust(30, "<")
