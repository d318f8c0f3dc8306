"""REST API for issued cards: the holder's cards and share codes, and public verification.

Same services as the card pages (applications/cards/services.py): a checker learns nothing
unless the card number and a live share code of that very card match.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from applications.cards import numbers, selectors, services
from applications.cards.access import card_for
from applications.cards.ratelimit import card_check_refusal
from applications.models import CardShareCode, IssuedCard
from portal.api.errors import ApiError
from portal.api.permissions import IsApplicant
from portal.api.serializers import ReadModelSerializer
from portal.api.views import ApiLanguageMixin
from portal.client import client_ip


class CardSerializer(ReadModelSerializer):
    status = serializers.CharField(source="current_status", read_only=True)
    printed_number = serializers.SerializerMethodField()

    class Meta:
        model = IssuedCard
        # No "id": cards are addressed by their number (docs/security.md).
        fields = [
            "number",
            "printed_number",
            "product",
            "holder_name",
            "valid_from",
            "valid_until",
            "citizenship_eligible_on",
            "status",
        ]

    def get_printed_number(self, card: IssuedCard) -> str:
        return numbers.format_for_print(card.number)


class ShareCodeSerializer(ReadModelSerializer):
    printed_code = serializers.SerializerMethodField()
    is_usable = serializers.BooleanField(read_only=True)

    class Meta:
        model = CardShareCode
        fields = ["id", "code", "printed_code", "purpose", "created_at", "expires_at", "withdrawn_at", "is_usable"]

    def get_printed_code(self, share: CardShareCode) -> str:
        return services.format_code(share.code)


class ShareCodeCreateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=CardShareCode.Purpose.choices)


class VerifySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=24)
    code = serializers.CharField(max_length=16)
    checker = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VerifyResultSerializer(serializers.Serializer):
    found = serializers.BooleanField(help_text="False for any mismatch: nothing else is revealed.")
    valid = serializers.BooleanField()
    status = serializers.CharField(allow_blank=True)
    product = serializers.CharField(allow_blank=True)
    holder_name = serializers.CharField(allow_blank=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    purpose = serializers.CharField(allow_blank=True)
    rights = serializers.CharField(allow_blank=True)
    regions = serializers.ListField(child=serializers.CharField())


@extend_schema_view(
    list=extend_schema(operation_id="cards_list", summary="Your cards", tags=["cards"]),
    retrieve=extend_schema(operation_id="cards_read", summary="One of your cards", tags=["cards"]),
)
class CardViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """The holder's issued cards (by card number) and their share codes. Someone else's card is a 404."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsApplicant]
    serializer_class = CardSerializer
    pagination_class = None
    lookup_field = "number"
    lookup_value_regex = r"[A-Za-z0-9]{1,24}"
    error_statuses_by_action = {"share_codes_create": ("409",), "share_code_withdraw": ("409",)}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IssuedCard.objects.none()
        return selectors.cards_of(self.request.user)

    def get_object(self) -> IssuedCard:
        card = card_for(self.request.user, self.kwargs["number"], request=self.request)
        if card.holder_id != self.request.user.pk:
            raise NotFound
        return card

    def list(self, request):
        return Response(CardSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, number=None):
        return Response(CardSerializer(self.get_object()).data)

    @extend_schema(
        operation_id="cards_share_codes_list",
        summary="Share codes of the card",
        tags=["cards"],
        responses={200: ShareCodeSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="share-codes", filter_backends=[])
    def share_codes(self, request, number=None):
        card = self.get_object()
        return Response(ShareCodeSerializer(card.share_codes.order_by("-created_at"), many=True).data)

    @extend_schema(
        operation_id="cards_share_codes_create",
        summary="A new 30-day share code for one checker",
        tags=["cards"],
        request=ShareCodeCreateSerializer,
        responses={201: ShareCodeSerializer},
    )
    @share_codes.mapping.post
    def share_codes_create(self, request, number=None):
        card = self.get_object()
        body = ShareCodeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        share = services.share_code_create(card=card, purpose=body.validated_data["purpose"], actor=request.user)
        return Response(ShareCodeSerializer(share).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cards_share_code_withdraw",
        summary="Withdraw a share code (it stops working at once)",
        tags=["cards"],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"share-codes/(?P<code_pk>\d+)",
        filter_backends=[],
    )
    def share_code_withdraw(self, request, number=None, code_pk=None):
        card = self.get_object()
        share = card.share_codes.filter(pk=int(code_pk)).first()
        if share is None:
            raise NotFound
        services.share_code_withdraw(share=share, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """Public check of a card by its number and a share code the holder gave."""

    permission_classes = [AllowAny]
    serializer_class = VerifySerializer
    pagination_class = None
    throttle_scope = "verify"

    @extend_schema(
        operation_id="public_verify",
        summary="Verify a card with its number and share code",
        tags=["public"],
        request=VerifySerializer,
        responses={200: VerifyResultSerializer},
    )
    def create(self, request):
        ip_address = client_ip(request)
        # The same per-address counter as the verification page, so the two cannot be combined.
        if refusal := card_check_refusal(request):
            raise ApiError(refusal.status, refusal.code, str(refusal.message))
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.card_check(
            number=body.validated_data["number"],
            code=body.validated_data["code"],
            ip_address=ip_address,
            checker=body.validated_data["checker"],
        )
        card = result.card if result.found else None
        data = {
            "found": result.found,
            "valid": result.is_valid,
            "status": result.status,
            "product": card.product if card else "",
            "holder_name": card.holder_name if card else "",
            "valid_from": card.valid_from if card else None,
            "valid_until": card.valid_until if card else None,
            "purpose": result.purpose,
            "rights": result.rights,
            "regions": result.regions,
        }
        return Response(VerifyResultSerializer(data).data)
