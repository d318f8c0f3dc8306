"""REST API for eligibility: reference data, criteria sets, the public self-check.

Reference data (regions, occupations) and published criteria are public; drafts and
administration need the criteria-admin role.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from eligibility.models import CriteriaSet, Occupation, Region
from eligibility.products import Product
from portal.api.pagination import Cursor
from portal.api.permissions import IsCriteriaAdmin
from portal.api.serializers import ReadModelSerializer
from portal.api.views import ApiLanguageMixin


class RegionSerializer(ReadModelSerializer):
    name = serializers.CharField(read_only=True)
    is_labour_deficient = serializers.BooleanField(read_only=True)

    class Meta:
        model = Region
        fields = [
            "code",
            "kato",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "macro_zone",
            "kind",
            "resettlement_kandas",
            "resettlement_internal",
            "is_labour_deficient",
        ]
        read_only_fields = fields


class OccupationSerializer(ReadModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Occupation
        fields = ["code", "title", "title_en", "title_ru", "title_kk", "major_code", "sub_major_code", "minor_code"]
        read_only_fields = fields


class CriteriaSetSerializer(ReadModelSerializer):
    class Meta:
        model = CriteriaSet
        fields = ["id", "product", "version", "status", "effective_from", "pass_mark", "notes", "created_at"]
        read_only_fields = fields


class CodeCursor(Cursor):
    ordering = "code"


class OccupationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text="Code prefix or words of the title (any language).")
    major_code = django_filters.CharFilter()

    class Meta:
        model = Occupation
        fields = ["major_code"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(
            Q(title_en__icontains=value) | Q(title_ru__icontains=value) | Q(title_kk__icontains=value)
        )


class RegionFilter(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["macro_zone", "kind", "resettlement_kandas", "resettlement_internal"]


class CriteriaSetFilter(django_filters.FilterSet):
    product = django_filters.ChoiceFilter(choices=Product.choices)
    status = django_filters.ChoiceFilter(choices=CriteriaSet.Status.choices)

    class Meta:
        model = CriteriaSet
        fields = ["product", "status"]


@extend_schema_view(
    list=extend_schema(operation_id="regions_list", tags=["reference"]),
    retrieve=extend_schema(operation_id="regions_read", tags=["reference"]),
)
class RegionViewSet(ApiLanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Kazakhstan's first-level regions with their resettlement designations (public)."""

    permission_classes = [AllowAny]
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    pagination_class = None
    lookup_value_regex = r"[A-Za-z0-9-]+"


@extend_schema_view(
    list=extend_schema(operation_id="occupations_list", tags=["reference"]),
    retrieve=extend_schema(operation_id="occupations_read", tags=["reference"]),
)
class OccupationViewSet(ApiLanguageMixin, viewsets.ReadOnlyModelViewSet):
    """ISCO-08 unit groups (public)."""

    permission_classes = [AllowAny]
    queryset = Occupation.objects.all()
    serializer_class = OccupationSerializer
    filterset_class = OccupationFilter
    pagination_class = CodeCursor
    lookup_value_regex = r"\d{4}"


@extend_schema_view(
    list=extend_schema(operation_id="criteria_sets_list", tags=["criteria admin"]),
    retrieve=extend_schema(operation_id="criteria_sets_read", tags=["criteria admin"]),
)
class CriteriaSetViewSet(ApiLanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Every criteria set, drafts included (criteria admins)."""

    permission_classes = [*viewsets.ReadOnlyModelViewSet.permission_classes, IsCriteriaAdmin]
    queryset = CriteriaSet.objects.all()
    serializer_class = CriteriaSetSerializer
    filterset_class = CriteriaSetFilter
    lookup_value_regex = r"\d+"


@extend_schema_view(
    list=extend_schema(operation_id="public_criteria_list", tags=["public"]),
    retrieve=extend_schema(operation_id="public_criteria_read", tags=["public"]),
)
class PublishedCriteriaViewSet(ApiLanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Criteria sets in force or announced (published), for anyone."""

    permission_classes = [AllowAny]
    queryset = CriteriaSet.objects.filter(status=CriteriaSet.Status.PUBLISHED)
    serializer_class = CriteriaSetSerializer
    filterset_class = CriteriaSetFilter
    lookup_value_regex = r"\d+"
