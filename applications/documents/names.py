"""Uploaded file names: the one function that makes them safe to show, and the one rule on them.

A name is only data (the stored file gets a random name), but it is shown to caseworkers and
to the applicant. ``passport\\u202egpj.exe`` (a right-to-left override) is displayed as
``passportexe.jpg`` while its real extension is ``.exe``; so every displayed
name passes through ``display_name``, and a name whose real extension is not one of the
accepted types is refused (``name_refused``).
"""

from __future__ import annotations

import os
import unicodedata

from . import detect

# Unicode general categories removed from names: Cc (control characters: NUL, newlines) and
# Cf (format characters: bidi embeddings, overrides and isolates U+202A-U+202E and
# U+2066-U+2069, the marks U+200E/U+200F, zero-width spaces and joiners, U+FEFF),
# plus Cs (lone surrogates), which cannot be encoded at all.
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Names are stored in a 255-character column.
MAX_NAME_LENGTH = 255


def display_name(name: str | None) -> str:
    """``name`` without control, format (bidi) or surrogate characters, as it may be shown."""
    cleaned = "".join(ch for ch in (name or "") if unicodedata.category(ch) not in _REMOVED_CATEGORIES)
    return cleaned.strip()[:MAX_NAME_LENGTH]


def name_refused(name: str | None, allowed_types: frozenset[str]) -> bool:
    """True if the name's real extension (after cleaning) is not one of ``allowed_types``.

    A name without an extension claims nothing and is left to the content check.
    """
    extension = os.path.splitext(display_name(name))[1].lower()
    if not extension:
        return False
    return detect.EXTENSION_TYPES.get(extension) not in allowed_types


def short_stem(name: str, max_bytes: int = 100) -> str:
    """The name without its extension, cut to ``max_bytes`` of UTF-8 (file systems allow 255
    bytes per name, so a 255-character upload name plus a suffix does not fit)."""
    stem = os.path.splitext(display_name(name))[0] or "document"
    encoded = stem.encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", errors="ignore") or "document"
