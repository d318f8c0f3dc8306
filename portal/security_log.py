"""The security log: sign-ins and refused access as structured JSON records in UTC.

Kept apart from the case audit trail (AuditEvent): this log is for the security team and
log shippers (one JSON object a line on the "portal.security" logger), not evidence in a case.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("portal.security")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601, "Z"), level, logger, event and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", record.getMessage()),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


def _request_fields(request) -> dict[str, Any]:
    if request is None:
        return {}
    from portal.audit.record import client_ip

    return {
        "ip": client_ip(request),
        "path": request.path,
        "method": request.method,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


def security_event(event: str, *, request=None, level: int = logging.INFO, **fields: Any) -> None:
    """Write one security record; never raises (logging must not break the request)."""
    record_fields = {**_request_fields(request), **fields}
    logger.log(level, event, extra={"event": event, "fields": record_fields})


@receiver(user_logged_in, dispatch_uid="security_log_signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    security_event("sign_in_succeeded", request=request, user_id=user.pk, email=user.email)


@receiver(user_login_failed, dispatch_uid="security_log_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in credentials; keep only the name tried.
    tried = credentials.get("username") or credentials.get("email") or ""
    locked = bool(getattr(request, "axes_locked_out", False))
    security_event(
        "sign_in_failed", request=request, level=logging.WARNING, username=str(tried)[:254], locked_out=locked
    )


@receiver(user_logged_out, dispatch_uid="security_log_signed_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    security_event("signed_out", request=request, user_id=getattr(user, "pk", None))


def access_refused(*, user, obj, reason: str, request=None) -> None:
    """Record a refused access to an object that exists (the gate answers 404 all the same)."""
    security_event(
        "access_refused",
        request=request,
        level=logging.WARNING,
        user_id=getattr(user, "pk", None),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        reason=reason,
    )
