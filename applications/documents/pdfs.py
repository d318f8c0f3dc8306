"""PDFs: refuse encryption, scripts, actions and attachments; rewrite pages without metadata."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from . import detect, reasons
from .policy import KindPolicy
from .result import ProcessResult, Rejected, sha256_hex

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


def process_pdf(result: ProcessResult, data: bytes, policy: KindPolicy) -> None:
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
