"""Token authentication for scripts: ``Authorization: Bearer kp_…`` (or ``Token kp_…``)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from portal.api.models import ApiToken, token_digest
from portal.api.tokens import staff_token_problem

# last_used_at is written at most this often per token, so reads stay read-only queries.
_LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header.")) from exc
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
        if token is None or not token.is_active or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        # Staff tokens stand in for a two-factor session: re-check their rules every time.
        problem = staff_token_problem(token)
        if problem:
            raise exceptions.AuthenticationFailed(problem)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `manage.py create_api_token USER --scope read|write`. "
            "Read tokens may only use GET, HEAD and OPTIONS. Staff tokens need a confirmed "
            "two-factor device and expire after API_STAFF_TOKEN_MAX_DAYS.",
        }
