"""What each kind of document may be: allowed types and limits.

The processing core takes a ``KindPolicy`` as a parameter and knows no kinds itself;
``DEFAULT_POLICIES`` is what the portal uses unless settings say otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.lists import format_list
from babel.units import format_unit
from django.utils.translation import gettext as _

from portal.display import babel_locale

from . import detect

MB = 1024 * 1024


@dataclass(frozen=True)
class PhotoRules:
    """Rules for the applicant photo (35 x 45 mm passport photo, ICAO 9303 part 3).

    - at least ``min_width`` x ``min_height`` pixels: 35 x 45 mm scanned at 300 dpi
      is 413 x 531 px, the least that prints sharply on a card;
    - width / height within ``aspect_tolerance`` (relative) of 35 / 45 = 0.778,
      so a crop of 34 x 45 mm passes and a square or landscape picture does not;
    - in colour: the mean HSV saturation of the picture is at least
      ``min_mean_saturation`` (0-255); black-and-white and near-grey scans fall below.
    """

    min_width: int = 413
    min_height: int = 531
    aspect_ratio: float = 35 / 45
    aspect_tolerance: float = 0.05
    min_mean_saturation: float = 12.0


@dataclass(frozen=True)
class KindPolicy:
    """Limits for one kind of document."""

    kind: str
    allowed_types: frozenset[str]
    max_bytes: int = 10 * MB
    # Images above this many pixels are refused before decoding (decompression bombs).
    max_pixels: int = 50_000_000
    max_pages: int = 50
    allow_animation: bool = False
    photo_rules: PhotoRules | None = None
    # Read the machine-readable zone (ICAO 9303) of image scans: never refuses, only records.
    read_mrz: bool = False
    # The sanitised copy is bounded so caseworkers get a fast page: 2000 px on the
    # long side shows an A4 page at 170 dpi, a passport page at about 400 dpi; and a
    # 12 MP (4000 x 3000) JPEG then decodes at half scale straight from the DCT.
    max_output_side: int = 2000
    thumbnail_side: int = 320
    output_quality: int = 88
    thumbnail_quality: int = 80


_SCANS = frozenset({detect.JPEG, detect.PNG, detect.HEIC, detect.PDF})
_PICTURES = frozenset({detect.JPEG, detect.PNG, detect.HEIC})

DEFAULT_POLICIES: dict[str, KindPolicy] = {
    "photo": KindPolicy(
        kind="photo",
        allowed_types=_PICTURES,
        max_bytes=10 * MB,
        max_pixels=40_000_000,
        photo_rules=PhotoRules(),
        max_output_side=1200,
    ),
    "passport": KindPolicy(kind="passport", allowed_types=_SCANS, max_pages=20, read_mrz=True),
    "ethnicity_evidence": KindPolicy(kind="ethnicity_evidence", allowed_types=_SCANS, max_pages=30),
    "diploma": KindPolicy(kind="diploma", allowed_types=_SCANS, max_pages=50),
    "employment_evidence": KindPolicy(kind="employment_evidence", allowed_types=_SCANS, max_pages=50),
    "business_registration": KindPolicy(kind="business_registration", allowed_types=_SCANS, max_pages=50),
    # Annual accounts run long: more pages and bytes.
    "business_accounts": KindPolicy(kind="business_accounts", allowed_types=_SCANS, max_bytes=20 * MB, max_pages=300),
    "offer_letter": KindPolicy(kind="offer_letter", allowed_types=_SCANS, max_pages=20),
    "achievement": KindPolicy(kind="achievement", allowed_types=_SCANS, max_pages=50),
    "other": KindPolicy(kind="other", allowed_types=_SCANS, max_pages=100),
}


def policy_for(kind: str) -> KindPolicy:
    """Return the policy for ``kind``; unknown kinds get the ``other`` policy."""
    return DEFAULT_POLICIES.get(kind) or DEFAULT_POLICIES["other"]


# All live (not refused) documents of one application together: enough for a full
# business-track file (accounts, registration, diplomas) of good scans.
APPLICATION_MAX_BYTES = 100 * MB


# How a type is named to people (the format's own name, the same in every language).
TYPE_NAMES = {detect.JPEG: "JPEG", detect.PNG: "PNG", detect.HEIC: "HEIC", detect.PDF: "PDF"}


@dataclass(frozen=True)
class UploadLimits:
    """What an upload page tells the user before they pick a file, and the picker's filter."""

    hint: str  # "Accepted files: JPEG, PNG, HEIC or PDF, up to 10 MB each." in the active language
    accept: str  # the <input accept> value: extensions and media types of the allowed types


def upload_limits(kinds: Iterable[str], label: Callable[[str], str] = str) -> UploadLimits:
    """The accepted types and size limit of ``kinds``, stated from their policies.

    The one place an upload page learns its limits, so the text never disagrees with what
    the pipeline enforces. Several kinds (a page with a kind select): the union of types,
    the most common size limit, and each kind with another limit named by ``label``.
    """
    policies = [policy_for(kind) for kind in dict.fromkeys(kinds)] or [policy_for("other")]
    allowed = set().union(*(p.allowed_types for p in policies))
    names = [TYPE_NAMES.get(t, t) for t in sorted(allowed, key=_type_order)]
    locale = babel_locale()
    sizes = [p.max_bytes for p in policies]
    common = max(set(sizes), key=sizes.count)

    def size(n: int) -> str:
        return format_unit(n // MB, "digital-megabyte", length="short", locale=locale)

    hint = _("Accepted files: %(types)s, up to %(size)s each.") % {
        "types": format_list(names, style="or", locale=locale),
        "size": size(common),
    }
    others = [(label(p.kind), size(p.max_bytes)) for p in policies if p.max_bytes != common]
    for kind_label, limit in others:
        hint += " " + _("%(kind)s: up to %(size)s.") % {"kind": kind_label, "size": limit}
    extensions = [ext for ext, t in detect.EXTENSION_TYPES.items() if t in allowed]
    return UploadLimits(hint=hint, accept=",".join([*extensions, *sorted(allowed)]))


def pages_max() -> int:
    """How many page files one document kind may have (settings.DOCUMENT_PAGES_MAX)."""
    from django.conf import settings

    return int(settings.DOCUMENT_PAGES_MAX)


def pages_max_bytes() -> int:
    """The total size of one kind's pages (settings.DOCUMENT_PAGES_MAX_MB)."""
    from django.conf import settings

    return int(settings.DOCUMENT_PAGES_MAX_MB) * MB


def pages_hint() -> str:
    """What a page upload tells the user about pages, before they pick a file."""
    size = format_unit(pages_max_bytes() // MB, "digital-megabyte", length="short", locale=babel_locale())
    return _(
        "A document with several pages: upload each page as its own file, in order; we combine them into "
        "one PDF. Up to %(count)s pages and %(size)s in total for each document."
    ) % {"count": pages_max(), "size": size}


def _type_order(media_type: str) -> int:
    order = list(TYPE_NAMES)
    return order.index(media_type) if media_type in order else len(order)
