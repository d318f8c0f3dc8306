"""manage.py process_file: the pipeline from the command line, one JSON object out."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image


def run(path, kind: str, *extra: str) -> dict:
    out = io.StringIO()
    call_command("process_file", str(path), "--kind", kind, *extra, stdout=out)
    text = out.getvalue().strip()
    assert "\n" not in text
    return json.loads(text)


def test_accepted_photo_prints_facts_and_writes_clean_outputs(tmp_path, corpus):
    source = tmp_path / "IMG_0001.jpg"
    source.write_bytes(corpus.jpeg_with_gps_and_orientation())

    summary = run(source, "passport", "--out", str(tmp_path / "out"))

    assert summary["accepted"] is True and summary["reason"] is None
    assert summary["detected_type"] == "image/jpeg"
    assert (summary["width"], summary["height"]) == (20, 40)
    assert "gps" in summary["stripped"]
    clean = Image.open(summary["sanitised_path"])
    assert len(clean.getexif()) == 0
    assert Image.open(summary["thumbnail_path"]).format == "JPEG"


def test_rejected_pdf_prints_the_reason_code_and_message(tmp_path, corpus):
    source = tmp_path / "statement.pdf"
    source.write_bytes(corpus.pdf_encrypted())

    summary = run(source, "business_accounts")

    assert summary["accepted"] is False
    assert summary["reason"] == "pdf_encrypted"
    assert "password" in summary["message"]
    assert summary["sanitised_path"] is None


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.jpg", "photo")


def test_command_runs_from_a_shell_and_prints_one_json_object(tmp_path, corpus):
    import subprocess
    import sys

    from tests.services import ROOT

    source = tmp_path / "moving.png"
    source.write_bytes(corpus.animated("PNG"))

    completed = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "process_file", str(source), "--kind", "photo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    summary = json.loads(completed.stdout)
    assert (summary["accepted"], summary["reason"]) == (False, "image_animated")
    assert summary["detected_type"] == "image/png"


def test_message_language_can_be_chosen(tmp_path, corpus):
    source = tmp_path / "statement.pdf"
    source.write_bytes(corpus.pdf_encrypted())
    assert "құпиясөз" in run(source, "business_accounts", "--language", "kk")["message"]
