#!/usr/bin/env python3
"""Drive a Kandas Card application from creation to submission through the REST API alone.

Standard library only (urllib). Usage:

    python manage.py create_api_token applicant@example.org --scope write   # prints kp_...
    PORTAL_URL=http://127.0.0.1:8000 PORTAL_TOKEN=kp_... python docs/examples/api_submit.py

What it does, in order (see docs/api.md for every endpoint):

1. POST /api/v1/applications/                      start a draft (or get the open one)
2. PUT  /api/v1/applications/{id}/sections/{slug}/ save each section, sending If-Match with
                                                   the ETag of the previous response
3. POST /api/v1/applications/{id}/documents/       upload the required documents (multipart),
                                                   each with an Idempotency-Key
4. POST /api/v1/applications/{id}/submit/          submit, with an Idempotency-Key: a retry
                                                   after a network error cannot submit twice
5. GET  /api/v1/applications/{id}/timeline/        print what happened

Errors come back as {"error": {"code", "message", "fields"}}; the script prints them and stops.
The documents it uploads are generated on the fly (a colour PNG photo, one-page PDFs).
"""

from __future__ import annotations

import json
import os
import struct
import sys
import urllib.error
import urllib.request
import uuid
import zlib

BASE_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
TOKEN = os.environ.get("PORTAL_TOKEN", "")

# A high-level professional from Mongolia, arriving in Pavlodar Region (KZ-55).
SECTIONS: list[tuple[str, dict]] = [
    (
        "personal",
        {
            "given_names_latin": "AIGERIM",
            "family_name_latin": "BEKOVA",
            "date_of_birth": "1990-03-27",
            "birth_country": "MN",
            "birth_place": "Bayan-Olgii",
            "citizenship": "MN",
        },
    ),
    (
        "passport",
        {
            "passport_number": "E1234567",
            "passport_country": "MN",
            "passport_issued_on": "2022-01-10",
            "passport_expires_on": "2032-01-09",
        },
    ),
    ("ethnicity", {"evidence_kind": "birth_certificate", "evidence_details": "Birth certificate, 1990"}),
    ("languages", {"kazakh": "native", "russian": "intermediate", "english": "basic"}),
    (
        "contact",
        {"phone": "+976 9911 2233", "address_line_1": "1 Peace Avenue", "city": "Ulaanbaatar", "country": "MN"},
    ),
    ("track", {"track": "professional"}),
    (
        "profession",
        {
            "occupation_code": "2511",
            "education_level": "master",
            "field_of_study": "Computer science",
            "years_experience": 8,
        },
    ),
    ("region", {"region": "KZ-55"}),
    ("family", {"coming": "no"}),
    ("declarations", {"true_and_complete": True, "data_processing": True, "no_political_rights": True}),
]
# Kazakh claimed above earns points, so a language certificate is required too.
DOCUMENTS = ["passport", "photo", "ethnicity_evidence", "diploma", "employment_evidence", "language_certificate"]


class ApiError(Exception):
    def __init__(self, status: int, body: dict) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        super().__init__(f"HTTP {status} {error.get('code')}: {error.get('message')} {error.get('fields') or ''}")
        self.status, self.error = status, error


def call(method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> tuple[dict, dict]:
    """One request; returns (JSON body, response headers) or raises ApiError."""
    request = urllib.request.Request(BASE_URL + path, data=body, method=method)  # noqa: S310 - http(s) from the operator
    request.add_header("Authorization", f"Bearer {TOKEN}")
    request.add_header("Accept", "application/json")
    request.add_header("Accept-Language", "en")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - URL from the operator
            raw = response.read()
            return (json.loads(raw) if raw else {}), dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        raise ApiError(exc.code, json.loads(raw) if raw else {}) from None


def call_json(method: str, path: str, payload: dict | None = None, headers: dict | None = None) -> tuple[dict, dict]:
    body = json.dumps(payload).encode() if payload is not None else None
    return call(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes, mime: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: {mime}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def png_photo(width: int = 420, height: int = 540) -> bytes:
    """A colour portrait PNG (35:45) big enough for the photo rules, written with zlib only."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes(((x * 255) // width, (y * 255) // height, 160))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b"")
    )


def pdf_page(text: str) -> bytes:
    """A one-page PDF with a line of text, with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main() -> int:
    if not TOKEN:
        print("Set PORTAL_TOKEN (manage.py create_api_token USER --scope write).", file=sys.stderr)
        return 2
    application, headers = call_json("POST", "/api/v1/applications/", {"product": "kandas_card"})
    app_id, etag = application["id"], headers["ETag"]
    print(f"draft {app_id} ({application['state']}), ETag {etag}")

    for slug, answers in SECTIONS:
        _section, headers = call_json(
            "PUT", f"/api/v1/applications/{app_id}/sections/{slug}/", {"answers": answers}, {"If-Match": etag}
        )
        etag = headers["ETag"]  # the next edit must name the version this one produced
        print(f"saved {slug} -> {etag}")

    for kind in DOCUMENTS:
        if kind == "photo":
            content, name, mime = png_photo(), "photo.png", "image/png"
        else:
            content, name, mime = pdf_page(f"{kind} of AIGERIM BEKOVA"), f"{kind}.pdf", "application/pdf"
        body, content_type = multipart({"kind": kind}, "file", name, content, mime)
        document, _headers = call(
            "POST",
            f"/api/v1/applications/{app_id}/documents/",
            body=body,
            headers={"Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())},
        )
        print(f"uploaded {kind}: document {document['id']} ({document['status']})")

    submitted, _headers = call_json(
        "POST", f"/api/v1/applications/{app_id}/submit/", headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    print(f"submitted: {submitted['reference']} ({submitted['state']})")
    timeline, _headers = call("GET", f"/api/v1/applications/{app_id}/timeline/")
    for entry in timeline:
        print(f"  {entry['at']}  {entry['label']}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ApiError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
