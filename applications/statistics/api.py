"""Public, read-only API of the published statistics and of the quota position.

Unauthenticated (AllowAny) and throttled by the site-wide anonymous and user throttles like
the other public endpoints; only GET. Query parameters are validated by serializers, so an
unknown measure, a NUL or a huge year is a 400 in the API's error shape. Labels are in the
request's language; codes stay beside them for machines.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from applications.statistics import selectors
from applications.statistics.labels import category_label, product_label
from applications.statistics.models import Dimension, Measure, Release, ReleaseCell
from eligibility.products import Product
from portal.api.views import ApiLanguageMixin


class ReleaseSerializer(serializers.ModelSerializer):
    period = serializers.SerializerMethodField(help_text="The month, YYYY-MM.")
    published_at = serializers.DateTimeField(source="computed_at", read_only=True)
    threshold = serializers.IntegerField(read_only=True, help_text="Counts from 1 to threshold - 1 are not published.")

    class Meta:
        model = Release
        fields = ["period", "published_at", "revision", "threshold"]

    def get_period(self, obj: Release) -> str:
        return f"{obj.period:%Y-%m}"


class CellSerializer(serializers.ModelSerializer):
    measure_label = serializers.SerializerMethodField()
    dimension_label = serializers.SerializerMethodField()
    category = serializers.CharField(
        read_only=True, help_text='Region (ISO 3166-2), country (ISO 3166-1) or sector code; "" is the total.'
    )
    category_label = serializers.SerializerMethodField()
    product = serializers.CharField(read_only=True, help_text='Product code; "" is all products.')
    product_label = serializers.SerializerMethodField()
    value = serializers.IntegerField(read_only=True, allow_null=True, help_text="null: not published (see suppressed).")
    suppressed = serializers.SerializerMethodField(help_text="True when the figure is withheld (disclosure control).")

    class Meta:
        model = ReleaseCell
        fields = [
            "measure",
            "measure_label",
            "dimension",
            "dimension_label",
            "category",
            "category_label",
            "product",
            "product_label",
            "value",
            "suppressed",
        ]

    def get_measure_label(self, obj: ReleaseCell) -> str:
        return str(Measure(obj.measure).label)

    def get_dimension_label(self, obj: ReleaseCell) -> str:
        return str(Dimension(obj.dimension).label)

    def get_category_label(self, obj: ReleaseCell) -> str:
        return category_label(obj.dimension, obj.category)

    def get_product_label(self, obj: ReleaseCell) -> str:
        return product_label(obj.product)

    def get_suppressed(self, obj: ReleaseCell) -> bool:
        return obj.value is None


class ReleaseDetailSerializer(ReleaseSerializer):
    cells = CellSerializer(many=True, read_only=True)

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "cells"]


class CellQuerySerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=Measure.choices, required=False)
    dimension = serializers.ChoiceField(choices=Dimension.choices, required=False)
    product = serializers.ChoiceField(choices=[("all", "all"), *Product.choices], required=False)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class QuotaLineSerializer(serializers.Serializer):
    product = serializers.CharField(help_text="In the request's language.")
    scope = serializers.CharField(help_text="The sector or region, in the request's language.")
    places = serializers.IntegerField()
    used = serializers.IntegerField(allow_null=True, help_text="null: fewer than 10, not published.")
    remaining = serializers.IntegerField(allow_null=True, help_text="null when used is not published.")


class RoundLineSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField()
    product = serializers.CharField()
    scope = serializers.CharField(help_text="The sector or region of the round; empty for the whole product.")
    places_released = serializers.IntegerField()
    cut_off_score = serializers.IntegerField(
        allow_null=True, help_text="null when the round moved fewer than 10 people, or none."
    )
    cut_off_hidden = serializers.BooleanField(help_text="True when the cut-off is withheld (fewer than 10 moved).")


class QuotaYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quotas = QuotaLineSerializer(many=True)
    rounds = RoundLineSerializer(many=True)


def _period(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise NotFound from exc


class StatisticsViewSet(ApiLanguageMixin, viewsets.ViewSet):
    """The monthly statistics releases (public): counts by product and by region,
    citizenship or sector, small counts withheld (docs/statistics.md)."""

    permission_classes = [AllowAny]
    lookup_field = "period"
    lookup_value_regex = r"\d{4}-\d{2}"

    @extend_schema(operation_id="statistics_releases_list", tags=["open data"], responses=ReleaseSerializer(many=True))
    def list(self, request):
        return Response(ReleaseSerializer(selectors.releases(), many=True).data)

    @extend_schema(
        operation_id="statistics_releases_read",
        tags=["open data"],
        parameters=[
            OpenApiParameter("measure", str, enum=Measure.values, description="Only this measure."),
            OpenApiParameter("dimension", str, enum=Dimension.values, description="Only this breakdown."),
            OpenApiParameter(
                "product", str, enum=["all", *Product.values], description="Only this product; all: the totals."
            ),
        ],
        responses=ReleaseDetailSerializer,
    )
    def retrieve(self, request, period: str | None = None):
        query = CellQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        release = selectors.release_for(_period(period or ""))
        if release is None:
            raise NotFound
        product = query.validated_data.get("product")
        cells = selectors.release_cells(
            release,
            measure=query.validated_data.get("measure", ""),
            dimension=query.validated_data.get("dimension", ""),
            product=None if product is None else ("" if product == "all" else product),
        )
        data = ReleaseSerializer(release).data
        data["cells"] = CellSerializer(cells, many=True).data
        return Response(data)


class PublicQuotaViewSet(ApiLanguageMixin, viewsets.ViewSet):
    """Quotas of a year (places, used, left) and its allocation rounds with their cut-off
    scores (public; counts of people under 10 withheld)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_quotas_list",
        tags=["open data"],
        parameters=[YearQuerySerializer],
        responses=QuotaYearSerializer,
    )
    def year(self, request):
        query = YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        years = selectors.quota_years()
        year = query.validated_data.get("year") or (years[0] if years else timezone.localdate().year)
        payload = {"year": year, "quotas": selectors.quota_lines(year), "rounds": selectors.round_lines(year)}
        return Response(QuotaYearSerializer(payload).data)
