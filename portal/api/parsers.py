"""DRF's body parsers, refusing characters no field can hold before any serializer sees them.

One check for every endpoint's body (JSON, multipart, form): a NUL or a lone surrogate in any
value or key is a 400 in the API's error shape naming the field. Without it a surrogate in a
choice field came back inside DRF's "is not a valid choice" message, which the JSON renderer
cannot encode as UTF-8: an HTML 500 instead of the API's error.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers, status

from portal.api.errors import ApiError
from portal.inputs import hostile_fields


def refuse_hostile(data: Any) -> Any:
    """``data`` unchanged, or an ApiError (400) naming every field with a hostile character."""
    values = getattr(data, "data", data)  # multipart: DataAndFiles(data, files)
    found = hostile_fields(values)
    files = getattr(data, "files", None)
    if files is not None:
        found.update(hostile_fields({key: [f.name for f in files.getlist(key)] for key in files}))
    if found:
        raise ApiError(
            status.HTTP_400_BAD_REQUEST,
            "invalid",
            _("Some of the information sent is not valid. See the fields for details."),
            found,
        )
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_hostile(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_hostile(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_hostile(super().parse(stream, media_type, parser_context))
