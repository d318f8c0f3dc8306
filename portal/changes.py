"""Before/after values of a row, for audit events about configuration changes.

The admin (portal.admin_access) and the CSV imports (eligibility.rating) record the same shape:
``{"before": {field: value}, "after": {field: value}}`` with only the fields that changed.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models


def _plain(value: Any) -> Any:
    """A value the audit trail's canonical JSON can hold."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def values_of(obj: models.Model | None) -> dict[str, Any]:
    """The stored values of ``obj``: every concrete field (foreign keys as ids) and every
    many-to-many relation (sorted ids), read from the object as it is now."""
    if obj is None or obj.pk is None:
        return {}
    values = {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(_plain(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
    return values


def change_snapshot(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only what differs, both sides: {"before": {...}, "after": {...}}."""
    keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {"before": {k: before.get(k) for k in keys}, "after": {k: after.get(k) for k in keys}}
