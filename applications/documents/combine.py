"""Combine the sanitised pages of one document into one PDF (plain Python, no Django).

A document of several pages is uploaded page by page (photos of a multi-page scan, or a
few PDFs); each page goes through ``process_document`` on its own, and this module joins
the sanitised copies in page order: images become one PDF page each (Pillow writes it),
PDFs are appended page by page (pypdf). The Celery task and ``manage.py process_file
--combine`` both call ``combine_pages``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader, PdfWriter

from . import detect
from .result import sha256_hex

# An image page is laid out at this resolution: a 2000 px sanitised scan (the pipeline's
# bound, policy.max_output_side) is then 25 cm on its long side, about an A4 page.
IMAGE_DPI = 200.0


class CombineError(ValueError):
    """The pages cannot be combined (a page is not a sanitised JPEG or PDF, or too many pages)."""


@dataclass(frozen=True)
class CombinedPdf:
    data: bytes
    pages: int
    sha256: str


def combine_pages(pages: Sequence[tuple[bytes, str]], *, max_pages: int) -> CombinedPdf:
    """Join ``pages`` (sanitised bytes, media type) in order into one PDF.

    Only the pipeline's own outputs are expected (baseline JPEGs and rewritten PDFs), so a
    failure here is a bug or storage corruption, raised as ``CombineError``. The result
    has no document information dictionary: the pages' names and dates stay out of it.
    """
    writer = PdfWriter()
    for data, media_type in pages:
        if media_type == detect.JPEG:
            reader = PdfReader(io.BytesIO(_image_page(data)))
        elif media_type == detect.PDF:
            reader = PdfReader(io.BytesIO(data))
        else:
            raise CombineError(f"cannot combine a page of type {media_type!r}")
        if len(writer.pages) + len(reader.pages) > max_pages:
            raise CombineError(f"more than {max_pages} pages")
        for page in reader.pages:
            writer.add_page(page)
    if not writer.pages:
        raise CombineError("no pages")
    # No information dictionary (pypdf would write a /Producer): nothing about the sources.
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    return CombinedPdf(data=data, pages=len(writer.pages), sha256=sha256_hex(data))


def _image_page(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG":
                raise CombineError(f"expected a sanitised JPEG, found {image.format}")
            rgb = image.convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise CombineError(f"unreadable image page: {exc}") from exc
    buffer = io.BytesIO()
    rgb.save(buffer, "PDF", resolution=IMAGE_DPI)
    return buffer.getvalue()
