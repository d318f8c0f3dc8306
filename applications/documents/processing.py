"""Inspect and sanitise one uploaded file: plain Python, no ORM, no storage.

``process_document(data, policy)`` is the only entry point. It decides from the
content what the file is, refuses what is unsafe or unusable with a stable reason
code, and otherwise returns a re-encoded copy (images: baseline JPEG in sRGB with
no metadata; PDFs: pages rewritten without document metadata) plus a thumbnail.
The Celery task, the upload service and ``manage.py process_file`` all call it.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

from PIL import Image, ImageCms, ImageOps, ImageStat, UnidentifiedImageError

from . import detect, reasons
from .policy import KindPolicy, PhotoRules

try:  # HEIC support is optional: without libheif the type is simply not processable.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the platform's wheels
    HEIC_SUPPORTED = False

_PIL_FORMATS = {
    detect.JPEG: "JPEG",
    detect.PNG: "PNG",
    detect.GIF: "GIF",
    detect.WEBP: "WEBP",
    detect.HEIC: "HEIF",
}

# EXIF tag numbers (CIPA DC-008).
_TAG_ORIENTATION = 0x0112
_TAG_GPS_IFD = 0x8825

# Orientations 5-8 turn the picture by 90 degrees, swapping width and height.
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

# Actions a reader may run by itself (OpenAction / AA) that are harmless.
_BENIGN_AUTO_ACTIONS = {None, "/GoTo", "/Named"}
# Actions that reach outside the document wherever they appear.
_DANGEROUS_ACTIONS = {
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/RichMediaExecute",
    "/GoToE",
}
_EMBEDDING_SUBTYPES = {"/FileAttachment", "/RichMedia"}
# A PDF whose object graph is larger than this is refused rather than walked forever.
_MAX_PDF_OBJECTS = 500_000


class Rejected(Exception):
    """The file is refused; ``code`` is one of ``reasons``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class ProcessResult:
    """Outcome of inspecting one file. ``sanitised``/``thumbnail`` hold the output bytes."""

    accepted: bool
    reason: str | None
    size: int
    sha256_original: str
    detected_type: str | None = None
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    orientation: int | None = None
    stripped: list[str] = field(default_factory=list)
    sanitised_type: str | None = None
    sanitised_width: int | None = None
    sanitised_height: int | None = None
    sha256_sanitised: str | None = None
    sanitised: bytes | None = field(default=None, repr=False)
    thumbnail: bytes | None = field(default=None, repr=False)

    @property
    def message(self) -> str:
        """The reason in the active language ("" when accepted)."""
        return reasons.reason_message(self.reason)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary without the output bytes."""
        data = asdict(self)
        data.pop("sanitised")
        data.pop("thumbnail")
        data["message"] = self.message
        return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    if detected == detect.PDF:
        _process_pdf(result, data, policy)
    else:
        _process_image(result, data, detected, policy, use_draft)


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


# --------------------------------------------------------------------------- images


def _process_image(
    result: ProcessResult,
    data: bytes,
    detected: str,
    policy: KindPolicy,
    use_draft: bool,
) -> None:
    pil_format = _PIL_FORMATS[detected]
    with warnings.catch_warnings():
        # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; both are bombs.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        if detected != detect.JPEG:
            # verify() checks PNG chunk CRCs and structure without decoding pixels.
            with _opened(data, pil_format, policy) as probe:
                _guard(probe.verify)
        with _opened(data, pil_format, policy) as image:
            _inspect_image(result, image, policy)
            if use_draft and image.format == "JPEG":
                target = _bounded(image.size, policy.max_output_side)
                if target != image.size:
                    # Decode at 1/2, 1/4 or 1/8 scale in the IDCT: the output is never
                    # smaller than ``target``, and a 12 MP photo decodes several times faster.
                    image.draft(None, target)
            _guard(image.load)
            ImageOps.exif_transpose(image, in_place=True)
    picture = _to_srgb(image)
    if max(picture.size) > policy.max_output_side:
        picture.thumbnail(
            (policy.max_output_side, policy.max_output_side),
            Image.Resampling.LANCZOS,
            reducing_gap=2.0,
        )
    thumb = picture.copy()
    thumb.thumbnail(
        (policy.thumbnail_side, policy.thumbnail_side),
        Image.Resampling.BICUBIC,
        reducing_gap=2.0,
    )
    if policy.photo_rules is not None:
        _check_photo(result, thumb, policy.photo_rules)
    result.sanitised = _encode_jpeg(picture, policy.output_quality)
    result.thumbnail = _encode_jpeg(thumb, policy.thumbnail_quality)
    result.sanitised_type = detect.JPEG
    result.sanitised_width, result.sanitised_height = picture.size
    result.sha256_sanitised = sha256_hex(result.sanitised)


class _opened:
    """Open ``data`` as exactly one Pillow format, mapping failures to reason codes."""

    def __init__(self, data: bytes, pil_format: str, policy: KindPolicy) -> None:
        self.data = data
        self.pil_format = pil_format
        self.policy = policy
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            self.image = Image.open(io.BytesIO(self.data), formats=[self.pil_format])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected(reasons.IMAGE_TOO_MANY_PIXELS) from exc
        except Exception as exc:  # any failure to parse is a corrupt file
            raise Rejected(_corruption_code(exc)) from exc
        width, height = self.image.size
        if width <= 0 or height <= 0:
            raise Rejected(reasons.IMAGE_CORRUPT)
        if width * height > self.policy.max_pixels:
            raise Rejected(reasons.IMAGE_TOO_MANY_PIXELS)
        return self.image

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        # Only a failed image is closed: a loaded one stays usable (its source is memory).
        if exc_type is not None and self.image is not None:
            self.image.close()


def _guard(action: Any) -> None:
    try:
        action()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Rejected(reasons.IMAGE_TOO_MANY_PIXELS) from exc
    except Rejected:
        raise
    except Exception as exc:  # decoders raise OSError, SyntaxError, ValueError...
        raise Rejected(_corruption_code(exc)) from exc


def _corruption_code(exc: BaseException) -> str:
    text = str(exc).lower()
    if "truncated" in text or "premature end" in text or "unexpected end" in text:
        return reasons.IMAGE_TRUNCATED
    if isinstance(exc, UnidentifiedImageError):
        return reasons.IMAGE_CORRUPT
    if "decompressed data too large" in text:
        return reasons.IMAGE_TOO_MANY_PIXELS
    return reasons.IMAGE_CORRUPT


def _inspect_image(result: ProcessResult, image: Image.Image, policy: KindPolicy) -> None:
    if getattr(image, "n_frames", 1) > 1 and not policy.allow_animation:
        raise Rejected(reasons.IMAGE_ANIMATED)
    stripped: list[str] = []
    exif = image.getexif()
    orientation = exif.get(_TAG_ORIENTATION)
    if len(exif):
        stripped.append("exif")
    if _TAG_GPS_IFD in exif:
        stripped.append("gps")
    info = image.info
    if info.get("xmp") or info.get("XML:com.adobe.xmp"):
        stripped.append("xmp")
    if info.get("icc_profile"):
        stripped.append("icc_profile")
    if info.get("comment"):
        stripped.append("comment")
    if info.get("photoshop"):
        stripped.append("iptc")
    if image.format == "PNG" and any(isinstance(v, str) for k, v in info.items() if k != "xmp"):
        stripped.append("text")
    result.stripped = stripped
    width, height = image.size
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        result.orientation = orientation
        if orientation in _SWAPPING_ORIENTATIONS:
            width, height = height, width
    if isinstance(info.get("original_orientation"), int):
        # pillow-heif has already turned the pixels and reset the tag to 1: report only.
        result.orientation = info["original_orientation"]
    result.width, result.height = width, height


def _bounded(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    longest = max(width, height)
    if longest <= side:
        return size
    scale = side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Return an RGB image in sRGB with no alpha and an empty ``info``."""
    icc = image.info.get("icc_profile")
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        # 16-bit (or float) grey: scale to 8 bits instead of clipping at 255.
        image = image.convert("I") if mode != "I" else image
        image = image.point(lambda value: value * (1 / 256)).convert("L")
        icc = None
    elif mode == "1":
        image = image.convert("L")
    elif mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode == "PA":
        image = image.convert("RGBA")
    if image.mode in ("LA", "La", "RGBA", "RGBa"):
        # Flatten transparency onto white, as a printed page would show it.
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        background.alpha_composite(image.convert("RGBA"))
        image = background.convert("RGB")
        icc = None if mode in ("LA", "La", "PA", "P") else icc
    converted: Image.Image | None = None
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken or mismatched profile: fall back to a plain conversion
    if converted is None:
        converted = image.convert("RGB") if image.mode != "RGB" else image
    converted.info = {}
    return converted


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    # No exif/icc/xmp/comment arguments and an empty info: the file carries pixels only.
    image.save(buffer, "JPEG", quality=quality, optimize=False)
    return buffer.getvalue()


def _check_photo(result: ProcessResult, thumb: Image.Image, rules: PhotoRules) -> None:
    width, height = result.width or 0, result.height or 0
    if width < rules.min_width or height < rules.min_height:
        raise Rejected(reasons.PHOTO_TOO_SMALL)
    ratio = width / height
    if abs(ratio - rules.aspect_ratio) > rules.aspect_ratio * rules.aspect_tolerance:
        raise Rejected(reasons.PHOTO_ASPECT_RATIO)
    saturation = thumb.convert("HSV").getchannel("S")
    if ImageStat.Stat(saturation).mean[0] < rules.min_mean_saturation:
        raise Rejected(reasons.PHOTO_GRAYSCALE)


# --------------------------------------------------------------------------- PDFs


def _process_pdf(result: ProcessResult, data: bytes, policy: KindPolicy) -> None:
    from pypdf import PdfReader, PdfWriter

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Rejected(reasons.PDF_ENCRYPTED)
        pages = len(reader.pages)
        found = _scan_pdf(reader)
        info = reader.metadata
        root = reader.trailer["/Root"].get_object()
        has_xmp = "/Metadata" in root
    except Rejected:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input
        raise Rejected(reasons.PDF_CORRUPT) from exc
    if found:
        raise Rejected(found)
    if pages == 0:
        raise Rejected(reasons.PDF_CORRUPT)
    if pages > policy.max_pages:
        raise Rejected(reasons.PDF_TOO_MANY_PAGES)
    result.pages = pages
    stripped = []
    if info:
        stripped.append("document_info")
    if has_xmp:
        stripped.append("xmp")
    try:
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        page_extras = False
        for page in writer.pages:
            for key in ("/AA", "/Metadata", "/PieceInfo"):
                if key in page:
                    page_extras = True
                    del page[key]
        writer.metadata = None
        buffer = io.BytesIO()
        writer.write(buffer)
        sanitised = buffer.getvalue()
        if len(PdfReader(io.BytesIO(sanitised)).pages) != pages:
            raise Rejected(reasons.PDF_CORRUPT)
    except Rejected:
        raise
    except Exception as exc:  # a page pypdf cannot copy is a broken page
        raise Rejected(reasons.PDF_CORRUPT) from exc
    if page_extras:
        stripped.append("page_metadata")
    result.stripped = stripped
    result.sanitised = sanitised
    result.sanitised_type = detect.PDF
    result.sha256_sanitised = sha256_hex(sanitised)


def _scan_pdf(reader: Any) -> str | None:
    """Walk the object graph from the catalogue; return the worst finding's code."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    findings: set[str] = set()
    stack: list[Any] = [reader.trailer["/Root"]]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > _MAX_PDF_OBJECTS:
            raise Rejected(reasons.PDF_CORRUPT)
        if isinstance(node, DictionaryObject):
            findings |= _dictionary_findings(node)
            stack.extend(value for name, value in node.items() if name != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    for code in (
        reasons.PDF_JAVASCRIPT,
        reasons.PDF_EMBEDDED_FILES,
        reasons.PDF_ACTIONS,
    ):
        if code in findings:
            return code
    return None


def _dictionary_findings(node: Any) -> set[str]:
    found: set[str] = set()
    if "/JS" in node or "/JavaScript" in node or "/XFA" in node:
        found.add(reasons.PDF_JAVASCRIPT)
    if "/EmbeddedFiles" in node or "/EF" in node or node.get("/Type") == "/EmbeddedFile":
        found.add(reasons.PDF_EMBEDDED_FILES)
    if node.get("/Subtype") in _EMBEDDING_SUBTYPES:
        found.add(reasons.PDF_EMBEDDED_FILES)
    action = node.get("/S")
    if action == "/JavaScript":
        found.add(reasons.PDF_JAVASCRIPT)
    elif action in _DANGEROUS_ACTIONS:
        found.add(reasons.PDF_ACTIONS)
    automatic = []
    if "/OpenAction" in node:
        automatic.append(node["/OpenAction"].get_object())
    if "/AA" in node:
        triggers = node["/AA"].get_object()
        if hasattr(triggers, "values"):
            automatic.extend(value.get_object() for value in triggers.values())
    for auto in automatic:
        if hasattr(auto, "get"):
            kind = auto.get("/S")
            if kind == "/JavaScript":
                found.add(reasons.PDF_JAVASCRIPT)
            elif kind not in _BENIGN_AUTO_ACTIONS:
                found.add(reasons.PDF_ACTIONS)
    return found
