"""Stable reason codes for refused documents and the message the applicant reads.

Codes are stored in the database and printed by ``process_file``; never rename one,
add a new code instead. Messages are lazy so they render in the reader's language.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EMPTY_FILE = "empty_file"
FILE_TOO_LARGE = "file_too_large"
APPLICATION_TOTAL_TOO_LARGE = "application_total_too_large"
DUPLICATE = "duplicate"
UNKNOWN_TYPE = "unknown_type"
TYPE_NOT_ALLOWED = "type_not_allowed"
TYPE_MISMATCH = "type_mismatch"
IMAGE_CORRUPT = "image_corrupt"
IMAGE_TRUNCATED = "image_truncated"
IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
IMAGE_ANIMATED = "image_animated"
PDF_CORRUPT = "pdf_corrupt"
PDF_ENCRYPTED = "pdf_encrypted"
PDF_JAVASCRIPT = "pdf_javascript"
PDF_ACTIONS = "pdf_actions"
PDF_EMBEDDED_FILES = "pdf_embedded_files"
PDF_TOO_MANY_PAGES = "pdf_too_many_pages"
PHOTO_TOO_SMALL = "photo_too_small"
PHOTO_ASPECT_RATIO = "photo_aspect_ratio"
PHOTO_GRAYSCALE = "photo_grayscale"
PROCESSING_FAILED = "processing_failed"
NAME_NOT_ALLOWED = "name_not_allowed"
TOO_MANY_PAGE_FILES = "too_many_page_files"
PAGES_TOTAL_TOO_LARGE = "pages_total_too_large"

MESSAGES: dict[str, Promise] = {
    EMPTY_FILE: _("The file is empty. Choose the file again and upload it."),
    FILE_TOO_LARGE: _("The file is too large. Upload a smaller file."),
    APPLICATION_TOTAL_TOO_LARGE: _(
        "Your documents for this application are too large in total. Remove a document or upload smaller files."
    ),
    DUPLICATE: _("You have already uploaded this file for this application."),
    UNKNOWN_TYPE: _("We could not recognise the file. Upload a JPEG, PNG or PDF file."),
    TYPE_NOT_ALLOWED: _("This type of file is not accepted for this document."),
    TYPE_MISMATCH: _(
        "The file's name says it is one type of file but its content is another. "
        "Save the file again in its real format and upload it."
    ),
    IMAGE_CORRUPT: _("The image is damaged and cannot be opened."),
    IMAGE_TRUNCATED: _("The image is incomplete. Upload the whole file again."),
    IMAGE_TOO_MANY_PIXELS: _("The image has too many pixels. Upload a smaller image."),
    IMAGE_ANIMATED: _("Animated images are not accepted. Upload a still image."),
    PDF_CORRUPT: _("The PDF is damaged and cannot be opened."),
    PDF_ENCRYPTED: _("The PDF is protected by a password. Upload a PDF without a password."),
    PDF_JAVASCRIPT: _("The PDF contains scripts. Save it again without scripts and upload it."),
    PDF_ACTIONS: _("The PDF contains automatic actions. Print it to a new PDF and upload that file."),
    PDF_EMBEDDED_FILES: _("The PDF contains attached files. Upload each document as its own file."),
    PDF_TOO_MANY_PAGES: _("The PDF has too many pages."),
    PHOTO_TOO_SMALL: _("The photo has too few pixels. Upload the original photo, not a reduced copy."),
    PHOTO_ASPECT_RATIO: _("The photo must have the shape of a 35 by 45 mm passport photo (portrait)."),
    PHOTO_GRAYSCALE: _("The photo must be in colour, not black and white."),
    PROCESSING_FAILED: _("We could not process the file. Try uploading it again."),
    NAME_NOT_ALLOWED: _(
        "The file's name ends in a type of file that is not accepted. "
        "Rename it so that it ends in .pdf, .jpg or .png and upload it again."
    ),
    TOO_MANY_PAGE_FILES: _(
        "This document already has as many pages as we accept. Remove a page before adding another, "
        "or combine the pages into one PDF file."
    ),
    PAGES_TOTAL_TOO_LARGE: _(
        "The pages of this document are too large in total. Remove a page or upload smaller files."
    ),
}


def reason_message(code: str | None) -> str:
    """Return the translated message for ``code`` in the active language."""
    if not code:
        return ""
    return str(MESSAGES.get(code, MESSAGES[PROCESSING_FAILED]))
