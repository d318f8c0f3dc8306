"""One error shape for every API response that is not a success.

    {"error": {"code": "machine_code", "message": "Translated sentence.", "fields": {"name": ["..."]}}}

``code`` is stable for programs; ``message`` is in the request's language (Accept-Language,
else the user's preferred language); ``fields`` maps request fields (dotted for nested
ones, ``non_field_errors`` for the whole body) to messages, and is empty otherwise.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with an explicit status, machine code and translated message."""

    def __init__(self, status_code: int, code: str, message: str, fields: dict | None = None) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}


def precondition_failed(message: str | None = None) -> ApiError:
    return ApiError(
        status.HTTP_412_PRECONDITION_FAILED,
        "version_mismatch",
        message or _("Someone else changed this application since you loaded it. Reload it and try again."),
    )


def precondition_required() -> ApiError:
    return ApiError(
        status.HTTP_428_PRECONDITION_REQUIRED,
        "precondition_required",
        _("Send the If-Match header with the ETag you received, so that no one's changes are overwritten."),
    )


def conflict(code: str, message: str) -> ApiError:
    return ApiError(status.HTTP_409_CONFLICT, code, message)


# Domain exceptions of the services, by dotted path (looked up lazily so that an area that
# is not installed yet costs nothing): path -> (HTTP status, default code).
DOMAIN_ERRORS: dict[str, tuple[int, str]] = {
    "applications.workflow.TransitionRefused": (status.HTTP_409_CONFLICT, "transition_refused"),
    "applications.models.application.StateWriteRefused": (status.HTTP_409_CONFLICT, "transition_refused"),
    "applications.documents.services.UploadRefused": (status.HTTP_400_BAD_REQUEST, "upload_refused"),
    "applications.cards.services.CardActionRefused": (status.HTTP_409_CONFLICT, "card_action_refused"),
}
_resolved: dict[str, type | None] = {}


def _domain_class(path: str) -> type | None:
    if path not in _resolved:
        module, _sep, name = path.rpartition(".")
        try:
            _resolved[path] = getattr(import_module(module), name)
        except (ImportError, AttributeError):
            _resolved[path] = None
    return _resolved[path]


def _domain_error(exc: Exception) -> ApiError | None:
    for path, (status_code, code) in DOMAIN_ERRORS.items():
        cls = _domain_class(path)
        if cls is not None and isinstance(exc, cls):
            own_code = getattr(exc, "code", None)
            message = getattr(exc, "message", None) or str(exc)
            return ApiError(status_code, own_code if isinstance(own_code, str) else code, str(message))
    return None


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field.sub": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                for k, v in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def _message_for(exc: exceptions.APIException) -> tuple[str, str]:
    """(code, translated message) for DRF's own exceptions."""
    if isinstance(exc, exceptions.ValidationError):
        return "invalid", _("Some of the information sent is not valid. See the fields for details.")
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated", _("Sign in or send an API token.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "authentication_failed", str(exc.detail)
    if isinstance(exc, exceptions.NotFound):
        return "not_found", _("Not found.")
    if isinstance(exc, exceptions.PermissionDenied):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) and codes != "permission_denied" else "permission_denied"
        detail = str(exc.detail)
        if code == "permission_denied" and detail.startswith("CSRF Failed"):
            return "csrf_failed", _("The form expired or came from another site. Reload the page and try again.")
        return code, detail if code != "permission_denied" else _("You are not allowed to do this.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed", _("This method is not allowed here.")
    if isinstance(exc, exceptions.NotAcceptable):
        return "not_acceptable", _("This response format is not available.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "unsupported_media_type", _("This request body format is not supported.")
    if isinstance(exc, exceptions.ParseError):
        return "parse_error", _("The request body could not be read.")
    if isinstance(exc, exceptions.Throttled):
        return "throttled", _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": int(exc.wait or 1)}
    codes = exc.get_codes()
    return (codes if isinstance(codes, str) else "error"), str(exc.detail)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _server_error(exc: Exception, context: dict) -> Response:
    """A bug: log it with its traceback (as Django would) and answer in the API's shape."""
    request = context.get("request")
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": getattr(request, "_request", None)},
    )
    set_rollback()
    body = error_body("server_error", _("Something went wrong on our side. Try again later."))
    return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error leaves the API in the one shape above."""
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many
        # fields): the client's doing, not a bug.
        exc = ApiError(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "request_too_large",
            _("The request is too large. Send less data at a time."),
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif not isinstance(exc, exceptions.APIException):
        domain = _domain_error(exc)
        if domain is None:
            return _server_error(exc, context)
        exc = domain

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, str(exc.detail), _flatten(exc.fields) if exc.fields else {})
    else:
        code, message = _message_for(exc)
        fields = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
        body = error_body(code, message, fields)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
