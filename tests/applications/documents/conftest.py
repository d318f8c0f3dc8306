"""A corpus of good and hostile files, generated in memory so nothing binary is committed."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


class Corpus:
    """Builders returning file bytes; each names the property it exercises."""

    @staticmethod
    def image(
        size: tuple[int, int] = (64, 48),
        color: object = (200, 30, 40),
        mode: str = "RGB",
        fmt: str = "JPEG",
        **save: object,
    ) -> bytes:
        buffer = io.BytesIO()
        Image.new(mode, size, color).save(buffer, fmt, **save)
        return buffer.getvalue()

    @staticmethod
    def jpeg_with_gps_and_orientation(orientation: int = 6) -> bytes:
        """40 x 20 stored: left half red, right half blue; EXIF says rotate 90 degrees."""
        picture = Image.new("RGB", (40, 20), (255, 0, 0))
        picture.paste((0, 0, 255), (20, 0, 40, 20))
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = orientation
        exif[ExifTags.Base.Make] = "PhoneMaker"
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps.update({1: "N", 2: (43.0, 15.0, 30.0), 3: "E", 4: (76.0, 57.0, 0.0)})
        buffer = io.BytesIO()
        picture.save(
            buffer,
            "JPEG",
            quality=95,
            exif=exif.tobytes(),
            comment=b"secret comment",
            xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>',
            icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
        )
        return buffer.getvalue()

    @staticmethod
    def png_16bit_rgb(size: tuple[int, int] = (8, 6), value: int = 0xC000) -> bytes:
        """16-bit-per-channel RGB PNG (Pillow cannot write one, so build it by hand)."""
        width, height = size
        ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
        row = b"\x00" + struct.pack(">HHH", value, value // 2, 0) * width
        return (
            b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(row * height))
            + _png_chunk(b"IEND", b"")
        )

    @staticmethod
    def png_claiming_size(width: int, height: int) -> bytes:
        """A few hundred bytes whose header claims a huge grey picture (a bomb)."""
        ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
            + _png_chunk(b"IEND", b"")
        )

    @staticmethod
    def animated(fmt: str) -> bytes:
        frames = [Image.new("RGB", (32, 32), color) for color in ("red", "green", "blue")]
        buffer = io.BytesIO()
        frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        return buffer.getvalue()

    @staticmethod
    def heic(size: tuple[int, int] = (64, 48)) -> bytes:
        import pillow_heif

        pillow_heif.register_heif_opener()
        buffer = io.BytesIO()
        Image.new("RGB", size, (20, 160, 60)).save(buffer, "HEIF", quality=80)
        return buffer.getvalue()

    @staticmethod
    def pdf(pages: int = 1, *, metadata: bool = False) -> bytes:
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(width=595, height=842)
        if metadata:
            writer.add_metadata({"/Author": "Jane Applicant", "/Title": "Passport scan"})
        return Corpus._write(writer)

    @staticmethod
    def pdf_encrypted() -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
        return Corpus._write(writer)

    @staticmethod
    def pdf_with_document_js() -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        # Document-level script: /Root /Names /JavaScript name tree (PDF 32000 7.7.4).
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(action)])}
        )
        writer.root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(tree)}
        )
        return Corpus._write(writer)

    @staticmethod
    def pdf_with_open_action(action: str) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        entry = DictionaryObject({NameObject("/S"): NameObject(action)})
        if action == "/JavaScript":
            entry[NameObject("/JS")] = TextStringObject("app.alert(1)")
        elif action == "/Launch":
            entry[NameObject("/F")] = TextStringObject("calc.exe")
        elif action == "/URI":
            entry[NameObject("/URI")] = TextStringObject("https://tracker.example/pixel")
        writer.root_object[NameObject("/OpenAction")] = writer._add_object(entry)
        return Corpus._write(writer)

    @staticmethod
    def pdf_with_page_aa_javascript() -> bytes:
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        # Build the action without a /JS key on the page itself: only the AA trigger runs it.
        script = DecodedStreamObject()
        script.set_data(b"app.alert('page opened')")
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): writer._add_object(script),
            }
        )
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
        return Corpus._write(writer)

    @staticmethod
    def pdf_with_goto_open_action() -> bytes:
        """A harmless OpenAction (open on page 1, fit width) that must be accepted."""
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        writer.root_object[NameObject("/OpenAction")] = ArrayObject(
            [page.indirect_reference, NameObject("/FitH"), FloatObject(842)]
        )
        return Corpus._write(writer)

    @staticmethod
    def pdf_with_attachment() -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_attachment("payload.exe", b"MZ not really")
        return Corpus._write(writer)

    @staticmethod
    def pdf_with_file_attachment_annotation() -> bytes:
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(30), FloatObject(30)]),
                NameObject("/Contents"): TextStringObject("see attached"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
        return Corpus._write(writer)

    @staticmethod
    def _write(writer: PdfWriter) -> bytes:
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()


@pytest.fixture
def corpus() -> type[Corpus]:
    return Corpus


def make_application(owner, state: str = "submitted"):
    from applications.models import Application
    from applications.workflow import state_writes_for_seeding
    from eligibility.products import Product

    with state_writes_for_seeding():
        return Application.objects.create(product=Product.KANDAS_CARD, owner=owner, state=state)


@pytest.fixture
def application(applicant):
    """A submitted case owned by ``applicant`` (staff can see it)."""
    return make_application(applicant)


@pytest.fixture
def draft_application(applicant):
    """A draft owned by ``applicant``: the owner may still add documents."""
    return make_application(applicant, state="draft")


# The applicant pages' fixtures, for the multi-page upload journey (test_document_pages_combined.py).
from tests.applications.applicant.conftest import (  # noqa: E402, F401
    applicant_client,
    client_for,
    kandas_draft,
    verified_applicant,
)
