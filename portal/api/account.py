"""The signed-in user's profile and own API tokens."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from portal import roles
from portal.api.errors import ApiError
from portal.api.models import ApiToken
from portal.api.serializers import ReadModelSerializer
from portal.api.tokens import TokenRefused, api_token_create, api_token_revoke, is_staff_token_user
from portal.api.views import ApiLanguageMixin


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False, allow_blank=True
    )
    email_verified = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    def get_email_verified(self, user) -> bool:
        return user.email_verified_at is not None

    def get_roles(self, user) -> list[str]:
        return sorted(roles.roles_of(user))


class ProfileViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    serializer_class = ProfileSerializer
    pagination_class = None

    @extend_schema(operation_id="profile_read", tags=["profile"])
    def retrieve(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(operation_id="profile_update", tags=["profile"])
    def partial_update(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = request.user
        fields = [name for name in ("full_name", "preferred_language") if name in serializer.validated_data]
        for name in fields:
            setattr(user, name, serializer.validated_data[name])
        if fields:
            user.save(update_fields=fields)
        return Response(ProfileSerializer(user).data)


def _second_factor_session(request) -> bool:
    """A browser session (not a token) whose user proved the second factor (django-otp)."""
    if request.auth is not None:
        return False
    is_verified = getattr(request._request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class TokenSerializer(ReadModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "scope", "created_at", "last_used_at", "expires_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The token itself. Shown only in this response.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


@extend_schema_view(
    list=extend_schema(operation_id="tokens_list", tags=["profile"]),
    create=extend_schema(
        operation_id="tokens_create",
        tags=["profile"],
        responses={201: NewTokenSerializer},
        description="Staff users: only from a browser session verified with the second factor (403 "
        "two_factor_required otherwise, e.g. with a token); the token expires after API_STAFF_TOKEN_MAX_DAYS.",
    ),
    destroy=extend_schema(operation_id="tokens_revoke", tags=["profile"]),
)
class TokenViewSet(
    ApiLanguageMixin, mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The user's own API tokens. Revoking keeps the row (for the audit trail)."""

    serializer_class = TokenSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    def create(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if is_staff_token_user(request.user) and not _second_factor_session(request):
            # A staff token may not mint the next one: that would outlive the second factor.
            raise ApiError(
                status.HTTP_403_FORBIDDEN,
                "two_factor_required",
                _("Staff API tokens are created in a browser session signed in with two-factor, or by an operator."),
            )
        try:
            token, raw = api_token_create(
                user=request.user,
                scope=serializer.validated_data.get("scope", ApiToken.Scope.READ),
                name=serializer.validated_data.get("name", ""),
            )
        except TokenRefused as exc:
            raise ApiError(status.HTTP_403_FORBIDDEN, exc.code, exc.message) from exc
        data = NewTokenSerializer(token).data
        data["token"] = raw
        return Response(data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        with transaction.atomic():
            api_token_revoke(token=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
