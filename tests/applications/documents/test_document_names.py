"""Uploaded file names: bidi tricks are refused or made harmless, long names never crash."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from applications.documents import reasons
from applications.documents.names import display_name, name_refused, short_stem
from applications.documents.policy import policy_for
from applications.documents.processing import process_document
from applications.documents.services import UploadRefused, document_upload
from applications.models import Document

RLO = "\u202e"


def test_display_name_strips_bidi_controls_and_other_format_characters():
    assert display_name(f"passport{RLO}gpj.exe") == "passportgpj.exe"
    assert display_name("a\u2066b\u2069c\u200bd\u200fe\ufeff\x00\n.pdf") == "abcde.pdf"
    assert display_name("Әйгерім паспорт.pdf") == "Әйгерім паспорт.pdf"


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        (f"passport{RLO}gpj.exe", True),
        (f"passport{RLO}fdp.js", True),
        ("scan.pdf.exe", True),
        ("scan.jpg", False),
        ("scan", False),
        (f"scan{RLO}.pdf", False),
    ],
)
def test_a_name_whose_real_extension_is_not_accepted_is_refused(name, refused):
    assert name_refused(name, policy_for("passport").allowed_types) is refused


@pytest.mark.django_db
def test_an_upload_named_with_a_right_to_left_override_is_refused(draft_application, applicant, corpus):
    with pytest.raises(UploadRefused) as refusal:
        document_upload(
            application=draft_application,
            kind="passport",
            uploaded=SimpleUploadedFile(f"passport{RLO}gpj.exe", corpus.image(), content_type="image/jpeg"),
            actor=applicant,
        )
    assert refusal.value.code == reasons.NAME_NOT_ALLOWED
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_an_accepted_name_is_stored_and_shown_without_format_characters(draft_application, applicant, corpus):
    document = document_upload(
        application=draft_application,
        kind="passport",
        uploaded=SimpleUploadedFile(f"my{RLO} scan\u200b.jpg", corpus.image(), content_type="image/jpeg"),
        actor=applicant,
    )
    assert document.original_name == "my scan.jpg"
    # Rows stored before this rule are shown through the same function.
    Document.objects.filter(pk=document.pk).update(original_name=f"old{RLO}gpj.exe")
    document.refresh_from_db()
    assert document.display_name == "oldgpj.exe" and RLO not in str(document)


def test_the_pipeline_refuses_the_same_names_as_the_upload(corpus):
    result = process_document(corpus.image(), policy_for("passport"), declared_name=f"x{RLO}gpj.exe")
    assert (result.accepted, result.reason) == (False, reasons.NAME_NOT_ALLOWED)


def test_process_file_copes_with_a_255_byte_name(tmp_path, corpus):
    source = tmp_path / ("a" * 251 + ".jpg")
    source.write_bytes(corpus.image())
    out = io.StringIO()
    call_command("process_file", str(source), "--kind", "passport", "--out", str(tmp_path / "out"), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["accepted"] is True
    with open(summary["sanitised_path"], "rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"


def test_short_stem_cuts_on_a_character_boundary():
    assert short_stem("ә" * 200 + ".pdf", max_bytes=11) == "әәәәә"
