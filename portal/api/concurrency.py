"""Optimistic concurrency for application edits: ETag out, If-Match in.

The ETag is the application's ``version`` (bumped by every change of the answers). An edit
must send ``If-Match`` with the ETag it read: missing -> 428, stale -> 412. The check is
made on the row locked with SELECT ... FOR UPDATE, in the transaction of the edit, so two
clients can never both succeed from the same version (no lost update).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import precondition_failed, precondition_required

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the application as last read, e.g. "v3". Missing: 428; out of date: 412.',
)
ETAG_HEADER = {"ETag": OpenApiResponse(description="Version of the application, for If-Match")}


def etag_for(version: int) -> str:
    return f'"v{version}"'


def required_version(request: Request) -> int:
    """The version the client claims to have read, from If-Match (428 if missing, 412 if malformed)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise precondition_required()
    value = header.removeprefix("W/").strip('"')
    if not value.startswith("v") or not value[1:].isdigit():
        raise precondition_failed()
    return int(value[1:])


def check_version(request: Request, current: int) -> None:
    """Raise 412 unless the If-Match version is ``current`` (call with the row locked)."""
    if required_version(request) != current:
        raise precondition_failed()


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag_for(version)
    return response
