"""Images: open exactly one format, refuse bombs and broken files, re-encode clean JPEGs."""

from __future__ import annotations

import functools
import io
import warnings
from typing import Any

from PIL import Image, ImageCms, ImageOps, ImageStat, UnidentifiedImageError

from . import detect, reasons
from .policy import KindPolicy, PhotoRules
from .result import ProcessResult, Rejected, sha256_hex

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


def process_image(
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
    picture, icc = _flatten(image)
    if max(picture.size) > policy.max_output_side:
        picture.thumbnail(
            (policy.max_output_side, policy.max_output_side),
            Image.Resampling.LANCZOS,
            reducing_gap=2.0,
        )
    # The colour conversion costs per pixel (about 15 ns in LittleCMS, the largest item of
    # a wide-gamut photo): done on the output size, never on the decoded one.
    picture = _to_srgb(picture, icc)
    # A box reduction, then bicubic for the last step: 4 ms instead of 8 for 2000 -> 320,
    # with no visible difference at thumbnail size (docs/benchmarks.md "Documents").
    thumb = picture.resize(_bounded(picture.size, policy.thumbnail_side), Image.Resampling.BICUBIC, reducing_gap=1.0)
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


def _flatten(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """An 8-bit L, RGB or CMYK image without alpha, and the ICC profile that still applies."""
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
    elif image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("RGB")  # YCbCr, LAB, HSV...: nothing a profile would describe
        icc = None
    return image, icc


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Return an RGB image in sRGB with no alpha and an empty ``info``."""
    converted: Image.Image | None = None
    if icc:
        try:
            source = _profile(icc)
            if image.mode == "RGB" and _is_srgb(source):
                converted = image
            elif image.mode == "RGB":
                # In place: no second output-sized buffer.
                ImageCms.applyTransform(image, _transform(icc), inPlace=True)
                converted = image
            else:
                converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken or mismatched profile: fall back to a plain conversion
    if converted is None:
        converted = image.convert("RGB") if image.mode != "RGB" else image
    converted.info = {}
    return converted


@functools.lru_cache(maxsize=32)
def _profile(icc: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(icc))


@functools.lru_cache(maxsize=32)
def _transform(icc: bytes) -> ImageCms.ImageCmsTransform:
    """The RGB -> sRGB transform of one profile, built once per worker process (2-3 ms each):
    phones of one model share a profile, so a worker sees few distinct ones."""
    # NOCACHE: a shared transform stays thread-safe (LittleCMS caches the last pixel otherwise).
    return ImageCms.buildTransform(_profile(icc), _SRGB, "RGB", "RGB", flags=ImageCms.Flags.NOCACHE)


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    # An sRGB-tagged RGB photo (most cameras and Android phones) is already what an
    # untagged JPEG means; converting would cost ~50 ms per 3 MP for no visible change.
    description = (profile.profile.profile_description or "").strip().lower()
    return profile.profile.xcolor_space.strip() == "RGB" and description.startswith("srgb")


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
