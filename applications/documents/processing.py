"""Inspect and sanitise one uploaded file: plain Python, no ORM, no storage.

``process_document(data, policy)`` is the only entry point. It decides from the
content what the file is, refuses what is unsafe or unusable with a stable reason
code, and otherwise returns a re-encoded copy (images: baseline JPEG in sRGB with
no metadata; PDFs: pages rewritten without document metadata) plus a thumbnail.
The Celery task, the upload service and ``manage.py process_file`` all call it.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from . import detect, names, reasons
from .images import HEIC_SUPPORTED, process_image
from .mrz import MrzResult
from .mrz_ocr import OCR_FAILED, MrzRead, mrz_read
from .pdfs import process_pdf
from .policy import KindPolicy
from .result import ProcessResult, Rejected, sha256_hex

logger = logging.getLogger(__name__)

__all__ = ["HEIC_SUPPORTED", "ProcessResult", "Rejected", "process_document", "sha256_hex"]


def process_document(
    data: bytes,
    policy: KindPolicy,
    *,
    declared_name: str | None = None,
    declared_type: str | None = None,
    use_draft: bool = True,
) -> ProcessResult:
    """Inspect ``data`` against ``policy`` and return a sanitised copy or a refusal.

    ``declared_name`` / ``declared_type`` (file name and browser MIME type) are only
    compared with the detected type: a file whose name or type claims one known
    format while its content is another is refused as ``type_mismatch``.
    ``use_draft`` lets JPEGs decode at a reduced scale when the output is smaller
    (the benchmark turns it off to measure the gain).
    """
    result = ProcessResult(accepted=False, reason=None, size=len(data), sha256_original=sha256_hex(data))
    try:
        _check_and_process(result, data, policy, declared_name, declared_type, use_draft)
    except Rejected as refusal:
        result.accepted = False
        result.reason = refusal.code
        result.sanitised = result.thumbnail = None
        result.sha256_sanitised = result.sanitised_type = None
        return result
    result.accepted = True
    return result


def _check_and_process(
    result: ProcessResult,
    data: bytes,
    policy: KindPolicy,
    declared_name: str | None,
    declared_type: str | None,
    use_draft: bool,
) -> None:
    if not data:
        raise Rejected(reasons.EMPTY_FILE)
    if len(data) > policy.max_bytes:
        raise Rejected(reasons.FILE_TOO_LARGE)
    detected = detect.detect_type(data[:1024])
    result.detected_type = detected
    if detected is None:
        raise Rejected(reasons.UNKNOWN_TYPE)
    for claimed in (detect.type_from_name(declared_name), _known_mime(declared_type)):
        if claimed is not None and claimed != detected:
            raise Rejected(reasons.TYPE_MISMATCH)
    if detected not in policy.allowed_types or detected not in _processable_types():
        raise Rejected(reasons.TYPE_NOT_ALLOWED)
    if names.name_refused(declared_name, policy.allowed_types):
        raise Rejected(reasons.NAME_NOT_ALLOWED)
    if detected == detect.PDF:
        process_pdf(result, data, policy)
    else:
        process_image(result, data, detected, policy, use_draft)
        if policy.read_mrz and result.sanitised is not None:
            result.mrz = mrz_from_image(result.sanitised)


def mrz_from_image(data: bytes) -> dict[str, Any]:
    """Read the MRZ off the sanitised copy (decoded safely, upright, bounded in size).

    Never raises and never refuses the document: an unreadable zone is recorded as such."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return mrz_read(image).as_dict()
    except Exception:  # the upload stays accepted whatever the reader does
        logger.exception("MRZ reading failed")
        return MrzRead(MrzResult(format=None, problems=[OCR_FAILED])).as_dict()


def _processable_types() -> frozenset[str]:
    if HEIC_SUPPORTED:
        return detect.PROCESSABLE_TYPES
    return detect.PROCESSABLE_TYPES - {detect.HEIC}


def _known_mime(mime: str | None) -> str | None:
    if not mime:
        return None
    mime = mime.split(";")[0].strip().lower()
    aliases = {
        "image/jpg": detect.JPEG,
        "image/pjpeg": detect.JPEG,
        "image/heif": detect.HEIC,
    }
    mime = aliases.get(mime, mime)
    return mime if mime in detect.EXTENSION_FOR_TYPE else None
