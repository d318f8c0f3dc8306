"""File type detection from content (magic bytes), never from name or browser type."""

from __future__ import annotations

import os

JPEG = "image/jpeg"
PNG = "image/png"
GIF = "image/gif"
WEBP = "image/webp"
HEIC = "image/heic"
TIFF = "image/tiff"
BMP = "image/bmp"
PDF = "application/pdf"
ZIP = "application/zip"

IMAGE_TYPES = frozenset({JPEG, PNG, GIF, WEBP, HEIC})
PROCESSABLE_TYPES = IMAGE_TYPES | {PDF}

# ISO/IEC 23008-12 brands for HEIF still images and sequences coded with HEVC.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

EXTENSION_TYPES = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jpe": JPEG,
    ".jfif": JPEG,
    ".png": PNG,
    ".gif": GIF,
    ".webp": WEBP,
    ".heic": HEIC,
    ".heif": HEIC,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".bmp": BMP,
    ".pdf": PDF,
    ".zip": ZIP,
}

EXTENSION_FOR_TYPE = {
    JPEG: ".jpg",
    PNG: ".png",
    GIF: ".gif",
    WEBP: ".webp",
    HEIC: ".heic",
    TIFF: ".tif",
    BMP: ".bmp",
    PDF: ".pdf",
    ZIP: ".zip",
}


def detect_type(head: bytes) -> str | None:
    """Return the MIME type of a file from its first bytes, or None if unknown.

    ``head`` needs at most the first 1024 bytes.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and _is_heif(head):
        return HEIC
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"BM"):
        return BMP
    # PDF readers accept the header anywhere in the first 1024 bytes, but a file
    # that does not start with it is a polyglot risk: only the exact start counts.
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    return None


def _is_heif(head: bytes) -> bool:
    size = int.from_bytes(head[0:4], "big")
    if size < 16 or size > len(head):
        size = min(len(head), 64)
    brands = [head[8:12]]
    brands += [head[i : i + 4] for i in range(16, size, 4)]
    return any(brand in _HEIF_BRANDS for brand in brands)


def type_from_name(name: str | None) -> str | None:
    """Return the type a file name claims through its extension, if we know it."""
    if not name:
        return None
    return EXTENSION_TYPES.get(os.path.splitext(name)[1].lower())
