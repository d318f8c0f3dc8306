"""Shared view pieces: language of token clients, the JSON 404 for unknown API paths."""

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny


class ApiLanguageMixin:
    """Token clients have no language cookie: without Accept-Language, answer in the
    user's preferred language (the browser session already gets it from the middleware)."""

    def perform_authentication(self, request):
        super().perform_authentication(request)
        preferred = getattr(request.user, "preferred_language", "")
        if preferred and "HTTP_ACCEPT_LANGUAGE" not in request.META and request.auth is not None:
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in the API's error shape, not an HTML page."""
    raise NotFound
