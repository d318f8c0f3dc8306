"""``Idempotency-Key`` for POSTs that must not happen twice (submit, upload).

The first successful response is stored with the key, the user and the endpoint; a retry
with the same key gets that response again (with ``Idempotent-Replayed: true``) and the
service is not called again. Two copies of the same request racing each other: the
second waits on the unique index until the first commits, then replays its result.
Failed requests store nothing (their transaction rolls back), so they may be retried.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import ApiError
from portal.api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

PARAMETER = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID) chosen by the client. A retry with the same key returns the "
    "first successful result instead of acting twice.",
)


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.content_type.encode(errors="replace") if request.content_type else b"")
    if request.content_type and request.content_type.startswith("multipart/"):
        # The multipart boundary differs between retries: hash the parsed parts instead.
        for name in sorted(request.data.keys()):
            for value in request.data.getlist(name):
                digest.update(name.encode())
                if hasattr(value, "chunks"):
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.body, status=record.status_code)
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(request: Request, action: Callable[[], Response]) -> Response:
    """Run ``action`` once per (user, Idempotency-Key, endpoint); without the header, just run it."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return action()
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            status.HTTP_400_BAD_REQUEST,
            "invalid_idempotency_key",
            _("The Idempotency-Key header is longer than %(max)s characters.") % {"max": MAX_KEY_LENGTH},
        )
    endpoint = f"{request.method} {request.path}"[:300]
    fingerprint = _fingerprint(request)
    fresh_after = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    IdempotencyRecord.objects.filter(user=request.user, key=key, endpoint=endpoint, created_at__lt=fresh_after).delete()

    def stored() -> IdempotencyRecord | None:
        return IdempotencyRecord.objects.filter(user=request.user, key=key, endpoint=endpoint).first()

    def check(record: IdempotencyRecord) -> Response:
        if record.fingerprint != fingerprint:
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
            )
        return _replay(record)

    if (record := stored()) is not None:
        return check(record)
    with transaction.atomic():
        try:
            # The row takes the unique index first: a racing twin blocks on this insert
            # until our transaction ends, then finds the finished record (or, if we
            # failed and stored nothing, inserts its own and acts).
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key, endpoint=endpoint, fingerprint=fingerprint, status_code=0
                )
        except IntegrityError:
            record = None
        if record is not None:
            response = action()
            if not status.is_success(response.status_code):
                transaction.set_rollback(True)  # store nothing for failures: the client may retry
                return response
            record.status_code = response.status_code
            record.body = response.data
            record.headers = {name: response[name] for name in ("ETag", "Location") if response.has_header(name)}
            record.save(update_fields=["status_code", "body", "headers"])
            return response
    record = stored()
    if record is None or record.status_code == 0:
        raise ApiError(
            status.HTTP_409_CONFLICT,
            "request_in_progress",
            _("The same request is still being processed. Try again in a moment."),
        )
    return check(record)


def idempotency_records_purge() -> int:
    """Delete stored results older than API_IDEMPOTENCY_HOURS (a retry after that acts again)."""
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
