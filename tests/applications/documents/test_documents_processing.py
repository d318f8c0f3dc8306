"""The inspection and sanitising core, file by file from the generated corpus."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from applications.documents import detect, reasons
from applications.documents.policy import (
    DEFAULT_POLICIES,
    KindPolicy,
    PhotoRules,
    policy_for,
)
from applications.documents.processing import process_document

PASSPORT = policy_for("passport")
PHOTO = policy_for("photo")
ANY_IMAGE = KindPolicy(
    kind="test",
    allowed_types=frozenset({detect.JPEG, detect.PNG, detect.GIF, detect.HEIC, detect.PDF}),
)


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_no_metadata(data: bytes) -> None:
    image = reopen(data)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    for key in ("exif", "icc_profile", "xmp", "comment", "photoshop"):
        assert key not in image.info
    assert b"Exif\x00\x00" not in data
    assert b"adobe:ns:meta" not in data


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("builder", "policy", "name", "code"),
    [
        (lambda c: b"", PASSPORT, "scan.jpg", reasons.EMPTY_FILE),
        (lambda c: b"\x00\x01garbage" * 10, PASSPORT, "scan.bin", reasons.UNKNOWN_TYPE),
        (
            lambda c: b"PK\x03\x04" + b"\x00" * 40,
            PASSPORT,
            "scan.zip",
            reasons.TYPE_NOT_ALLOWED,
        ),
        (lambda c: c.image(fmt="PNG"), PASSPORT, "scan.jpg", reasons.TYPE_MISMATCH),
        (lambda c: c.pdf(), PHOTO, "photo.pdf", reasons.TYPE_NOT_ALLOWED),
        (
            lambda c: c.image(fmt="GIF", mode="P", color=1),
            PASSPORT,
            "a.gif",
            reasons.TYPE_NOT_ALLOWED,
        ),
        (lambda c: c.animated("GIF"), ANY_IMAGE, "moving.gif", reasons.IMAGE_ANIMATED),
        (lambda c: c.animated("PNG"), ANY_IMAGE, "moving.png", reasons.IMAGE_ANIMATED),
        (
            lambda c: c.png_claiming_size(8000, 8000),
            PASSPORT,
            "bomb.png",
            reasons.IMAGE_TOO_MANY_PIXELS,
        ),
        # Above Image.MAX_IMAGE_PIXELS (Pillow warns) and above twice it (Pillow raises).
        (
            lambda c: c.png_claiming_size(10000, 10000),
            ANY_IMAGE,
            "b.png",
            reasons.IMAGE_TOO_MANY_PIXELS,
        ),
        (
            lambda c: c.png_claiming_size(30000, 30000),
            ANY_IMAGE,
            "b.png",
            reasons.IMAGE_TOO_MANY_PIXELS,
        ),
        (
            lambda c: c.image(size=(300, 200))[:-400],
            PASSPORT,
            "cut.jpg",
            reasons.IMAGE_TRUNCATED,
        ),
        (
            lambda c: c.image(size=(300, 200), fmt="PNG")[:60],
            PASSPORT,
            "cut.png",
            reasons.IMAGE_TRUNCATED,
        ),
        (
            lambda c: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13" * 300,
            PASSPORT,
            "x.jpg",
            reasons.IMAGE_CORRUPT,
        ),
        (
            lambda c: b"%PDF-1.7\n" + b"nonsense " * 50,
            PASSPORT,
            "bad.pdf",
            reasons.PDF_CORRUPT,
        ),
        (lambda c: c.pdf_encrypted(), PASSPORT, "locked.pdf", reasons.PDF_ENCRYPTED),
        (
            lambda c: c.pdf_with_document_js(),
            PASSPORT,
            "js.pdf",
            reasons.PDF_JAVASCRIPT,
        ),
        (
            lambda c: c.pdf_with_open_action("/JavaScript"),
            PASSPORT,
            "o.pdf",
            reasons.PDF_JAVASCRIPT,
        ),
        (
            lambda c: c.pdf_with_page_aa_javascript(),
            PASSPORT,
            "aa.pdf",
            reasons.PDF_JAVASCRIPT,
        ),
        (
            lambda c: c.pdf_with_open_action("/Launch"),
            PASSPORT,
            "l.pdf",
            reasons.PDF_ACTIONS,
        ),
        (
            lambda c: c.pdf_with_open_action("/URI"),
            PASSPORT,
            "u.pdf",
            reasons.PDF_ACTIONS,
        ),
        (
            lambda c: c.pdf_with_attachment(),
            PASSPORT,
            "att.pdf",
            reasons.PDF_EMBEDDED_FILES,
        ),
        (
            lambda c: c.pdf_with_file_attachment_annotation(),
            PASSPORT,
            "annot.pdf",
            reasons.PDF_EMBEDDED_FILES,
        ),
        (lambda c: c.pdf(pages=21), PASSPORT, "long.pdf", reasons.PDF_TOO_MANY_PAGES),
    ],
)
def test_hostile_or_unusable_file_is_refused_with_its_reason(corpus, builder, policy, name, code):
    data = builder(corpus)

    result = process_document(data, policy, declared_name=name)

    assert (result.accepted, result.reason) == (False, code)
    assert result.sanitised is None and result.thumbnail is None
    assert result.sha256_sanitised is None
    assert result.reason in reasons.MESSAGES


def test_file_over_the_kind_size_limit_is_refused(corpus):
    small_limit = dataclasses.replace(PASSPORT, max_bytes=1000)

    result = process_document(corpus.image(size=(400, 400), color=None), small_limit)

    assert result.reason == reasons.FILE_TOO_LARGE


def test_browser_content_type_contradicting_the_content_is_a_mismatch(corpus):
    result = process_document(corpus.pdf(), PASSPORT, declared_type="image/jpeg")

    assert result.reason == reasons.TYPE_MISMATCH


def test_name_without_known_extension_is_judged_by_content_alone(corpus):
    result = process_document(corpus.image(), PASSPORT, declared_name="scan")

    assert result.accepted
    assert result.detected_type == detect.JPEG


def test_refused_file_still_records_size_and_original_hash(corpus):
    data = corpus.pdf_encrypted()

    result = process_document(data, PASSPORT)

    assert result.size == len(data)
    assert len(result.sha256_original) == 64


# ---------------------------------------------------------------- sanitising images


def test_gps_exif_xmp_comment_and_icc_are_stripped(corpus):
    result = process_document(corpus.jpeg_with_gps_and_orientation(), PASSPORT)

    assert result.accepted, result.reason
    assert {"exif", "gps", "xmp", "comment", "icc_profile"} <= set(result.stripped)
    assert_no_metadata(result.sanitised)
    assert_no_metadata(result.thumbnail)
    assert 0x8825 not in reopen(result.sanitised).getexif()


def test_exif_orientation_is_applied_to_pixels(corpus):
    # Stored landscape with red left half; orientation 6 means "rotate 90 degrees clockwise".
    result = process_document(corpus.jpeg_with_gps_and_orientation(orientation=6), PASSPORT)

    image = reopen(result.sanitised)
    assert image.size == (20, 40)
    assert (result.width, result.height, result.orientation) == (20, 40, 6)
    top_red, _, top_blue = image.getpixel((10, 5))
    bottom_red, _, bottom_blue = image.getpixel((10, 35))
    assert top_red > 200 and top_blue < 60
    assert bottom_blue > 200 and bottom_red < 60


def test_cmyk_jpeg_becomes_rgb_with_the_same_colour(corpus):
    data = corpus.image(mode="CMYK", color=(0, 255, 255, 0))

    result = process_document(data, PASSPORT)

    image = reopen(result.sanitised)
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((5, 5))
    assert red > 200 and green < 60 and blue < 60


def test_16_bit_grey_png_is_scaled_not_clipped(corpus):
    data = corpus.image(mode="I;16", color=0x8000, fmt="PNG")

    result = process_document(data, PASSPORT)

    image = reopen(result.sanitised)
    assert image.mode == "RGB"
    assert 120 <= image.getpixel((3, 3))[0] <= 136


def test_16_bit_rgb_png_becomes_8_bit_rgb(corpus):
    result = process_document(corpus.png_16bit_rgb(value=0xC000), PASSPORT)

    assert result.accepted, result.reason
    red, green, blue = reopen(result.sanitised).getpixel((2, 2))
    assert 180 <= red <= 200 and 88 <= green <= 104 and blue <= 8


def test_palette_png_with_transparency_is_flattened_onto_white(corpus):
    image = Image.new("P", (20, 20), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(1, (10, 0, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)

    result = process_document(buffer.getvalue(), PASSPORT)

    flat = reopen(result.sanitised)
    assert flat.mode == "RGB"
    assert min(flat.getpixel((2, 10))) > 240  # transparent part is white
    assert flat.getpixel((17, 10))[0] > 200  # opaque red stays red


def test_grey_alpha_png_is_accepted_as_rgb(corpus):
    result = process_document(corpus.image(mode="LA", color=(90, 255), fmt="PNG"), PASSPORT)

    assert result.accepted
    assert reopen(result.sanitised).mode == "RGB"


def test_png_text_chunks_are_stripped(corpus):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Applicant")
    data = corpus.image(fmt="PNG", pnginfo=info)

    result = process_document(data, PASSPORT)

    assert "text" in result.stripped
    assert b"Jane Applicant" not in result.sanitised


def test_heic_photo_is_converted_to_jpeg(corpus):
    result = process_document(corpus.heic(), PASSPORT, declared_name="IMG_0001.HEIC")

    assert result.accepted, result.reason
    assert result.detected_type == detect.HEIC
    assert result.sanitised_type == detect.JPEG
    assert reopen(result.sanitised).size == (64, 48)


def test_heic_orientation_is_applied_once():
    import pillow_heif
    from PIL import ExifTags

    pillow_heif.register_heif_opener()
    picture = Image.new("RGB", (40, 20), (255, 0, 0))
    picture.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    picture.save(buffer, "HEIF", exif=exif.tobytes(), quality=90)

    result = process_document(buffer.getvalue(), PASSPORT)

    image = reopen(result.sanitised)
    assert (image.size, result.orientation) == ((20, 40), 6)
    assert image.getpixel((10, 5))[0] > 200 and image.getpixel((10, 35))[2] > 200


def test_large_jpeg_is_bounded_and_thumbnailed_with_or_without_draft(corpus):
    data = corpus.image(size=(4000, 3000), color=(10, 120, 200), quality=80)

    with_draft = process_document(data, PASSPORT, use_draft=True)
    without_draft = process_document(data, PASSPORT, use_draft=False)

    for result in (with_draft, without_draft):
        assert (result.width, result.height) == (4000, 3000)
        assert (result.sanitised_width, result.sanitised_height) == (2000, 1500)
        assert reopen(result.thumbnail).size == (320, 240)


def test_sanitised_hash_matches_the_sanitised_bytes(corpus):
    import hashlib

    data = corpus.image()

    result = process_document(data, PASSPORT)

    assert result.sha256_original == hashlib.sha256(data).hexdigest()
    assert result.sha256_sanitised == hashlib.sha256(result.sanitised).hexdigest()
    assert result.sha256_sanitised != result.sha256_original


# ---------------------------------------------------------------- PDFs


def test_pdf_pages_are_counted_and_document_metadata_removed(corpus):
    result = process_document(corpus.pdf(pages=3, metadata=True), PASSPORT)

    assert result.accepted, result.reason
    assert result.pages == 3
    assert "document_info" in result.stripped
    sanitised = PdfReader(io.BytesIO(result.sanitised))
    assert len(sanitised.pages) == 3
    assert not sanitised.metadata
    assert b"Jane Applicant" not in result.sanitised


def test_pdf_opening_on_a_page_is_not_mistaken_for_an_action(corpus):
    result = process_document(corpus.pdf_with_goto_open_action(), PASSPORT)

    assert result.accepted, result.reason


# ---------------------------------------------------------------- applicant photo


def colour_face(size: tuple[int, int]) -> bytes:
    picture = Image.new("RGB", size, (225, 190, 160))
    picture.paste((40, 90, 200), (0, size[1] * 3 // 4, size[0], size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    return buffer.getvalue()


def test_photo_of_passport_shape_and_size_is_accepted():
    result = process_document(colour_face((700, 900)), PHOTO)

    assert result.accepted, result.reason


@pytest.mark.parametrize(
    ("size", "code"),
    [
        ((300, 386), reasons.PHOTO_TOO_SMALL),
        ((900, 900), reasons.PHOTO_ASPECT_RATIO),
        ((900, 700), reasons.PHOTO_ASPECT_RATIO),
    ],
)
def test_photo_breaking_size_or_shape_rules_is_refused(size, code):
    assert process_document(colour_face(size), PHOTO).reason == code


def test_black_and_white_photo_is_refused(corpus):
    grey = corpus.image(size=(700, 900), mode="L", color=128)

    assert process_document(grey, PHOTO).reason == reasons.PHOTO_GRAYSCALE


def test_photo_rules_follow_the_policy_passed_in():
    lenient = dataclasses.replace(PHOTO, photo_rules=PhotoRules(min_width=100, min_height=100))

    assert process_document(colour_face((300, 386)), lenient).accepted


def test_every_default_kind_accepts_a_plain_jpeg_or_pdf(corpus):
    for kind, policy in DEFAULT_POLICIES.items():
        data = colour_face((700, 900)) if kind == "photo" else corpus.pdf()
        assert process_document(data, policy).accepted, kind


def test_only_srgb_profiles_skip_the_colour_conversion():
    from PIL import ImageCms

    from applications.documents.images import _is_srgb

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    renamed = srgb.replace("sRGB built-in".encode("utf-16-be"), "Wide built-in".encode("utf-16-be"))

    assert _is_srgb(ImageCms.ImageCmsProfile(io.BytesIO(srgb)))
    assert not _is_srgb(ImageCms.ImageCmsProfile(io.BytesIO(renamed)))
    assert not _is_srgb(ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")))


def test_photo_tagged_with_another_rgb_profile_is_converted_and_untagged(corpus):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    other = srgb.replace("sRGB built-in".encode("utf-16-be"), "Wide built-in".encode("utf-16-be"))
    data = corpus.image(size=(40, 30), color=(30, 160, 90), icc_profile=other)

    result = process_document(data, PASSPORT)

    assert result.accepted, result.reason
    assert "icc_profile" in result.stripped
    image = reopen(result.sanitised)
    assert "icc_profile" not in image.info
    red, green, blue = image.getpixel((5, 5))
    assert abs(red - 30) < 8 and abs(green - 160) < 8 and abs(blue - 90) < 8


def _wide_gamut_png(size: tuple[int, int]) -> bytes:
    """An RGB PNG tagged with a profile the pipeline cannot take for sRGB (renamed sRGB)."""
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    other = srgb.replace("sRGB built-in".encode("utf-16-be"), "Wide built-in".encode("utf-16-be"))
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(buffer, "PNG", icc_profile=other)
    return buffer.getvalue()


def test_colour_conversion_runs_at_the_output_size_with_one_transform_per_profile(monkeypatch):
    """The conversion costs per pixel: it runs after the reduction to the output size, and
    the transform of a profile is built once per process, not once per photo."""
    from PIL import ImageCms

    from applications.documents import images

    sizes: list[tuple[int, int]] = []
    builds: list[object] = []
    real_apply, real_build = ImageCms.applyTransform, ImageCms.buildTransform
    monkeypatch.setattr(
        ImageCms, "applyTransform", lambda im, *a, **k: sizes.append(im.size) or real_apply(im, *a, **k)
    )
    monkeypatch.setattr(ImageCms, "buildTransform", lambda *a, **k: builds.append(a) or real_build(*a, **k))
    images._transform.cache_clear()
    policy = policy_for("passport")
    data = _wide_gamut_png((4200, 700))

    first = process_document(data, policy)
    second = process_document(data, policy)

    assert first.accepted and second.accepted
    assert sizes == [(2000, 333), (2000, 333)]
    assert len(builds) == 1
    assert "icc_profile" in first.stripped
