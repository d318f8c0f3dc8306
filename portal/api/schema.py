"""OpenAPI generation: every operation documents the shared error shape for its error statuses."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid, version_mismatch.")
    message = serializers.CharField(help_text="Human-readable sentence in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per request field (dotted for nested fields); empty when not about fields.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


_DESCRIPTIONS = {
    "400": "Invalid request (see error.fields)",
    "401": "Not signed in, or the token is invalid, expired or revoked",
    "403": "Signed in, but the role or token scope does not allow this",
    "404": "No such object, or not yours to see",
    "409": "Conflicts with the object's current state",
    "412": "If-Match does not match the current version",
    "413": "The request body is too large",
    "422": "The Idempotency-Key was used for a different request",
    "428": "If-Match header required",
    "429": "Too many requests (see Retry-After)",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses each operation can produce, all with the one error shape.

    Views list extra statuses (409, 412, 428, 422) in ``error_statuses`` (per method name
    via ``error_statuses_by_action``).
    """

    def _error_statuses(self) -> set[str]:
        statuses = {"400", "404", "429"}
        permissions = self.view.get_permissions() if hasattr(self.view, "get_permissions") else []
        if not all(isinstance(p, AllowAny) for p in permissions):
            statuses |= {"401", "403"}
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            statuses.add("403")  # read-only tokens and CSRF
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.add("413")  # body over DATA_UPLOAD_MAX_MEMORY_SIZE
        action = getattr(self.view, "action", None) or self.method.lower()
        statuses |= set(getattr(self.view, "error_statuses", ()))
        statuses |= set(getattr(self.view, "error_statuses_by_action", {}).get(action, ()))
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(self._error_statuses()):
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = _DESCRIPTIONS.get(code, "Error")
        return responses
