# ruff: noqa: F811 - the applicant-page fixtures are imported, then requested by name
"""Several pages per document kind, combined into one PDF by the pipeline (issue 16).

Real files through the real pipeline: the pages are uploaded (through the applicant's pages
or the service), processed, and after submission combined; the PDF is parsed back with pypdf.
"""

from __future__ import annotations

import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image
from pypdf import PdfReader

from applications.documents import reasons, services
from applications.documents.combine import CombineError, combine_pages
from applications.documents.services import (
    UploadRefused,
    document_pages_combine,
    document_pages_stuck,
    document_process,
    document_upload,
)
from applications.documents.tasks import document_sweep
from applications.models import Document
from applications.states import State
from applications.workflow import state_writes_for_seeding
from portal.audit.models import AuditEvent
from tests.applications.applicant.conftest import KANDAS_PAGES, add_ready_documents, fill_pages, verify

pytestmark = pytest.mark.django_db


def page(application, actor, data: bytes, name: str, kind: str = "diploma") -> Document:
    """One page uploaded as the applicant's documents page does, then processed."""
    document = document_upload(
        application=application, kind=kind, uploaded=SimpleUploadedFile(name, data), actor=actor, as_page=True
    )
    return document_process(document_id=document.pk)


def submit(application) -> None:
    with state_writes_for_seeding():
        application.state = State.SUBMITTED
        application.reference = "KC-2026-900001"
        application.save(update_fields=["state", "reference"])


def combined_pdf(document: Document) -> PdfReader:
    with document.file.storage.open(document.file.name, "rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: about side * side * 3 bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


# ---- The web journey ------------------------------------------------------------------


def test_the_applicant_adds_pages_sees_them_in_order_removes_one_and_the_caseworker_gets_one_pdf(
    applicant_client, kandas_draft, corpus, caseworker, client_for, django_capture_on_commit_callbacks
):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    add_ready_documents(kandas_draft)
    kandas_draft.documents.filter(kind="passport").delete()
    upload_url = f"/applications/{kandas_draft.pk}/documents/upload/passport/"
    body = applicant_client.get(upload_url).content.decode()
    # The page limits are stated before the file input.
    assert "Up to 20 pages and 40 MB in total for each document." in body.split('type="file"')[0]

    files = [
        ("page-one.jpg", corpus.image(size=(300, 420), color=(200, 30, 40))),
        ("page-two.png", corpus.image(size=(300, 420), color=(30, 200, 40), fmt="PNG")),
        ("page-three.pdf", corpus.pdf(pages=2)),
    ]
    for name, data in files:
        with django_capture_on_commit_callbacks(execute=True):
            response = applicant_client.post(upload_url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 302, response.content.decode()[:2000]

    pages = list(kandas_draft.documents.filter(kind="passport").order_by("page"))
    assert [(p.page, p.original_name, p.status) for p in pages] == [
        (1, "page-one.jpg", "ready"),
        (2, "page-two.png", "ready"),
        (3, "page-three.pdf", "ready"),
    ]
    listing = applicant_client.get(f"/applications/{kandas_draft.pk}/documents/").content.decode()
    assert listing.index("page-one.jpg") < listing.index("page-two.png") < listing.index("page-three.pdf")
    assert "Page 3" in listing and "Add a page" in listing

    # Remove the second page: the others keep their order, numbered 1 and 2 on the page.
    response = applicant_client.post(f"/applications/{kandas_draft.pk}/documents/{pages[1].pk}/delete/")
    assert response.status_code == 302
    listing = applicant_client.get(f"/applications/{kandas_draft.pk}/documents/").content.decode()
    assert "page-two.png" not in listing and "Page 3" not in listing
    assert listing.index("page-one.jpg") < listing.index("page-three.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(f"/applications/{kandas_draft.pk}/check/", {"confirm": "on"})
    assert response.status_code == 302

    combined = Document.objects.get(application=kandas_draft, kind="passport", combined_key__gt="")
    assert combined.status == "ready" and combined.sanitised_type == "application/pdf"
    assert len(combined_pdf(combined).pages) == combined.pages == 3  # one image page + a 2-page PDF
    assert set(combined.combined_pages.values_list("pk", flat=True)) == {pages[0].pk, pages[2].pk}
    assert AuditEvent.objects.filter(action="document.combined", object_id=str(combined.pk)).count() == 1

    # The caseworker's case page shows the one PDF, not its pages; reading it is audited.
    staff = client_for(caseworker)
    case_page = staff.get(reverse("casework:case", args=[kandas_draft.pk])).content.decode()
    assert f"/documents/{combined.pk}/" in case_page
    assert f"/documents/{pages[0].pk}/" not in case_page and f"/documents/{pages[2].pk}/" not in case_page
    response = staff.get(reverse("documents:file", args=[combined.pk, "view"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 3
    assert AuditEvent.objects.filter(action="document.view", object_id=str(combined.pk), actor=caseworker).exists()


def test_replacing_a_page_keeps_its_place(applicant_client, kandas_draft, corpus, django_capture_on_commit_callbacks):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    url = f"/applications/{kandas_draft.pk}/documents/upload/passport/"
    for name, color in (("a.jpg", (10, 20, 30)), ("b.jpg", (40, 50, 60)), ("c.jpg", (70, 80, 90))):
        with django_capture_on_commit_callbacks(execute=True):
            applicant_client.post(url, {"file": SimpleUploadedFile(name, corpus.image(color=color))})
    second = kandas_draft.documents.get(original_name="b.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(
            f"{url}?replace={second.pk}", {"file": SimpleUploadedFile("b2.jpg", corpus.image(color=(1, 2, 3)))}
        )
    assert response.status_code == 302
    order = list(kandas_draft.documents.order_by("page").values_list("original_name", "page"))
    assert order == [("a.jpg", 1), ("b2.jpg", 2), ("c.jpg", 3)]


# ---- Hostile pages --------------------------------------------------------------------


def test_a_page_in_disguise_is_refused_with_a_translated_message(applicant_client, kandas_draft, corpus):
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    url = f"/applications/{kandas_draft.pk}/documents/upload/passport/"
    png_named_jpeg = SimpleUploadedFile("scan.jpg", corpus.image(fmt="PNG"))
    response = applicant_client.post(url, {"file": png_named_jpeg})
    assert response.status_code == 400
    assert escape(str(reasons.MESSAGES[reasons.TYPE_MISMATCH])) in response.content.decode()
    program = SimpleUploadedFile("scan.jpg", b"MZ\x90\x00" + b"\x00" * 200)
    response = applicant_client.post(url, {"file": program})
    assert response.status_code == 400
    assert escape(str(reasons.MESSAGES[reasons.UNKNOWN_TYPE])) in response.content.decode()
    assert not kandas_draft.documents.exists()


def test_a_page_of_huge_dimensions_is_refused_when_checked(draft_application, applicant, corpus):
    document = page(draft_application, applicant, corpus.png_claiming_size(200_000, 200_000), "bomb.png")
    assert document.status == "rejected" and document.rejection_code == reasons.IMAGE_TOO_MANY_PIXELS
    with translation.override("en"):
        english = document.rejection_message
    with translation.override("ru"):
        assert document.rejection_message != english
        assert "пиксел" in document.rejection_message.lower()


def test_pages_beyond_the_page_limit_are_refused_in_the_readers_language(
    applicant_client, kandas_draft, corpus, settings, verified_applicant
):
    settings.DOCUMENT_PAGES_MAX = 2
    fill_pages(applicant_client, kandas_draft, KANDAS_PAGES)
    url = f"/applications/{kandas_draft.pk}/documents/upload/passport/"
    for color in ((1, 1, 1), (2, 2, 2)):
        document_upload(
            application=kandas_draft,
            kind="passport",
            uploaded=SimpleUploadedFile("p.jpg", corpus.image(color=color)),
            actor=verified_applicant,
            as_page=True,
        )
    body = applicant_client.get(url).content.decode()
    assert "Up to 2 pages" in body
    response = applicant_client.post(url, {"file": SimpleUploadedFile("p3.jpg", corpus.image(color=(3, 3, 3)))})
    assert response.status_code == 400
    with translation.override("en"):
        assert str(reasons.MESSAGES[reasons.TOO_MANY_PAGE_FILES]) in response.content.decode()
    verify(verified_applicant, "ru")
    response = applicant_client.post(url, {"file": SimpleUploadedFile("p3.jpg", corpus.image(color=(3, 3, 3)))})
    with translation.override("ru"):
        russian = str(reasons.MESSAGES[reasons.TOO_MANY_PAGE_FILES])
    assert response.status_code == 400 and russian in response.content.decode()
    with translation.override("en"):
        assert russian != str(reasons.MESSAGES[reasons.TOO_MANY_PAGE_FILES])
    # Another kind has its own pages.
    document_upload(
        application=kandas_draft,
        kind="photo",
        uploaded=SimpleUploadedFile("p.jpg", corpus.image(color=(9, 9, 9))),
        actor=verified_applicant,
        as_page=True,
    )


def test_pages_over_the_total_size_of_a_kind_are_refused(draft_application, applicant, settings):
    settings.DOCUMENT_PAGES_MAX_MB = 1
    big = noise_png(400)  # about 480 kB
    document_upload(
        application=draft_application,
        kind="diploma",
        uploaded=SimpleUploadedFile("1.png", big),
        actor=applicant,
        as_page=True,
    )
    document_upload(
        application=draft_application,
        kind="diploma",
        uploaded=SimpleUploadedFile("2.png", noise_png(400)),
        actor=applicant,
        as_page=True,
    )
    with pytest.raises(UploadRefused) as refused:
        document_upload(
            application=draft_application,
            kind="diploma",
            uploaded=SimpleUploadedFile("3.png", noise_png(400)),
            actor=applicant,
            as_page=True,
        )
    assert refused.value.code == reasons.PAGES_TOTAL_TOO_LARGE
    with translation.override("en"):
        english = refused.value.message
    with translation.override("kk"):
        assert refused.value.message != english


def test_the_new_messages_are_translated_in_every_applicant_language():
    for code in (reasons.TOO_MANY_PAGE_FILES, reasons.PAGES_TOTAL_TOO_LARGE):
        with translation.override("en"):
            english = str(reasons.MESSAGES[code])
        for language in ("kk", "ru", "uz", "zh-hans"):
            with translation.override(language):
                assert reasons.reason_message(code) != english, (code, language)


# ---- The combine task -----------------------------------------------------------------


def test_pages_are_combined_in_order_into_one_pdf_without_metadata(draft_application, applicant, corpus):
    first = page(draft_application, applicant, corpus.image(size=(400, 560), color=(255, 0, 0)), "1.jpg")
    second = page(draft_application, applicant, corpus.pdf(pages=3, metadata=True), "2.pdf")
    third = page(draft_application, applicant, corpus.jpeg_with_gps_and_orientation(), "3.jpg")
    assert document_pages_combine(application_id=draft_application.pk, kind="diploma") is None  # still a draft
    submit(draft_application)
    combined = document_pages_combine(application_id=draft_application.pk, kind="diploma")
    reader = combined_pdf(combined)
    assert len(reader.pages) == combined.pages == 5
    assert reader.metadata is None
    # The first page is the red image, laid out with the image's shape (portrait).
    box = reader.pages[0].mediabox
    assert float(box.height) > float(box.width)
    assert [p.pk for p in combined.combined_pages.order_by("page")] == [first.pk, second.pk, third.pk]
    assert combined.original_name == "KC-2026-900001-3.pdf"


def test_the_combine_task_is_idempotent_and_survives_a_crash_before_it_commits(
    draft_application, applicant, corpus, monkeypatch
):
    pages = [page(draft_application, applicant, corpus.image(color=(i * 40, 0, 0)), f"{i}.jpg") for i in range(3)]
    submit(draft_application)

    def crash(**kwargs):
        raise RuntimeError("worker killed")

    # The worker dies after writing the PDF, before its transaction commits.
    monkeypatch.setattr(services, "audit_record", crash)
    with pytest.raises(RuntimeError):
        document_pages_combine(application_id=draft_application.pk, kind="diploma")
    monkeypatch.undo()
    assert not Document.objects.filter(application=draft_application).exclude(combined_key="").exists()
    for before in pages:
        after = Document.objects.get(pk=before.pk)
        assert after.status == "ready" and after.combined_into_id is None and after.page == before.page
        assert after.sanitised_file.storage.exists(after.sanitised_file.name)
    assert document_pages_stuck() == [(draft_application.pk, "diploma")]

    # The sweep queues it again (eagerly here); the retry writes the same file name.
    document_sweep()
    combined = Document.objects.get(application=draft_application, combined_key__gt="")
    assert len(combined_pdf(combined).pages) == 3
    assert document_pages_stuck() == []
    again = document_pages_combine(application_id=draft_application.pk, kind="diploma")
    assert again.pk == combined.pk and again.file.name == combined.file.name
    assert AuditEvent.objects.filter(action="document.combined").count() == 1
    # The crashed attempt wrote the very name the retry used: no second file for these pages.
    folder = os.path.dirname(combined.file.name)
    assert os.path.basename(combined.file.name) in combined.file.storage.listdir(folder)[1]


def test_the_combine_waits_for_pages_still_being_checked(draft_application, applicant, corpus):
    page(draft_application, applicant, corpus.image(color=(1, 2, 3)), "1.jpg")
    pending = document_upload(
        application=draft_application,
        kind="diploma",
        uploaded=SimpleUploadedFile("2.jpg", corpus.image(color=(4, 5, 6))),
        actor=applicant,
        as_page=True,
    )
    submit(draft_application)
    assert document_pages_combine(application_id=draft_application.pk, kind="diploma") is None
    # The last page finishing after submission queues the combine itself (eager here).
    document_process(document_id=pending.pk)
    assert document_pages_combine(application_id=draft_application.pk, kind="diploma").pages == 2


def test_a_rejected_page_is_left_out_and_one_page_needs_no_combining(draft_application, applicant, corpus):
    page(draft_application, applicant, corpus.image(color=(1, 2, 3)), "1.jpg")
    bad = page(draft_application, applicant, b"\xff\xd8\xff" + b"\x00" * 64, "2.jpg")
    assert bad.status == "rejected"
    submit(draft_application)
    assert document_pages_combine(application_id=draft_application.pk, kind="diploma") is None


def test_combine_pages_refuses_foreign_types_and_too_many_pages(corpus):
    with pytest.raises(CombineError):
        combine_pages([(corpus.image(fmt="PNG"), "image/png")], max_pages=5)
    with pytest.raises(CombineError):
        combine_pages([(corpus.pdf(pages=4), "application/pdf"), (corpus.image(), "image/jpeg")], max_pages=4)


def test_process_file_combines_several_pages(tmp_path, corpus, capsys):
    one, two = tmp_path / "one.jpg", tmp_path / "two.pdf"
    one.write_bytes(corpus.image(size=(300, 400)))
    two.write_bytes(corpus.pdf(pages=2))
    call_command("process_file", str(one), str(two), "--kind", "diploma", "--out", str(tmp_path / "out"))
    printed = json.loads(capsys.readouterr().out)
    assert [p["accepted"] for p in printed["pages"]] == [True, True]
    assert printed["combined"]["pages"] == 3
    assert len(PdfReader(printed["combined"]["path"]).pages) == 3
