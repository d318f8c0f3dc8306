"""REST API for eligibility: reference data, criteria sets, the public self-check.

Reference data (regions, occupations) and published criteria are public; drafts and
administration need the criteria-admin role.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from eligibility import hooks, rating, services
from eligibility.definitions import definition_from_set
from eligibility.display import criteria_text
from eligibility.engine import CriteriaError, DefinitionError
from eligibility.forms import facts_from_form, self_check_form, self_check_questions
from eligibility.models import CriteriaSet, Occupation, Region, RegionYear, ScarceProfession
from eligibility.models.quotas import Quota
from eligibility.occupations import occupation_title_exact, occupations_search
from eligibility.products import Product
from eligibility.signals import self_check_completed
from portal.api.errors import ApiError
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


class OccupationSerializer(ReadModelSerializer):
    title = serializers.CharField(
        read_only=True, help_text="In the request's language (Kazakh falls back to Russian, then English)."
    )
    title_ru = serializers.SerializerMethodField(help_text="The official Russian title; empty while none is published.")
    title_kk = serializers.SerializerMethodField(help_text="The official Kazakh title; empty while none is published.")

    class Meta:
        model = Occupation
        fields = ["code", "title", "title_en", "title_ru", "title_kk", "major_code", "sub_major_code", "minor_code"]

    def get_title_ru(self, obj: Occupation) -> str:
        return occupation_title_exact(obj.code, "ru")

    def get_title_kk(self, obj: Occupation) -> str:
        return occupation_title_exact(obj.code, "kk")


class CriteriaSetSerializer(ReadModelSerializer):
    class Meta:
        model = CriteriaSet
        fields = ["id", "product", "version", "status", "effective_from", "pass_mark", "notes", "created_at"]


class CriteriaDefinitionSerializer(serializers.Serializer):
    """A criteria set as portable JSON (eligibility/engine/schema.py describes every field)."""

    def to_representation(self, instance: Any) -> Any:
        return instance

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        return data


class ScarceProfessionSerializer(ReadModelSerializer):
    occupation = serializers.CharField(source="occupation_id", read_only=True)

    class Meta:
        model = ScarceProfession
        fields = ["id", "occupation", "year", "sector", "priority"]


class RegionYearSerializer(ReadModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = RegionYear
        fields = ["id", "region", "year", "labour_deficient"]


class CsvSerializer(serializers.Serializer):
    csv = serializers.CharField(
        max_length=5_000_000, trim_whitespace=False, help_text="CSV text with columns isco_code,year,sector,priority."
    )


class RegionYearsCsvSerializer(serializers.Serializer):
    csv = serializers.CharField(
        max_length=1_000_000,
        trim_whitespace=False,
        help_text="CSV text with columns region,year,labour_deficient (region: ISO 3166-2 code such as KZ-10; "
        "labour_deficient: true or false). Other columns are ignored.",
    )


YEAR_PARAMETER = OpenApiParameter(
    "year", OpenApiTypes.INT, description="Only this year (2000-2100); for regions, every region with its flag"
)


def year_parameter(request) -> int | None:
    """The optional ``?year=`` of the export endpoints, or a 400 naming it."""
    year = request.query_params.get("year", "")
    if not year:
        return None
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        raise ApiError(
            status.HTTP_400_BAD_REQUEST,
            "invalid",
            _("Some of the information sent is not valid. See the fields for details."),
            {"year": [_("Enter a year between 2000 and 2100.")]},
        )
    return int(year)


def csv_problem(report: rating.ImportReport) -> ApiError:
    """Row-level errors of a CSV import as one 400: ``fields`` keys are "row N.column"."""
    fields: dict[str, list[str]] = {}
    for error in report.errors or []:
        fields.setdefault(f"row {error.row}.{error.field}", []).append(str(error.message))
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        "invalid_csv",
        _("The file has problems; nothing was imported. See the fields for details."),
        fields,
    )


class CsvImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class QuotaSerializer(ReadModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    remaining = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)

    class Meta:
        model = Quota
        fields = ["id", "product", "year", "sector", "region", "places", "used", "remaining", "waiting", "source"]


class FactSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.JSONField(), allow_null=True)


class SelfCheckQuestionsSerializer(serializers.Serializer):
    product = serializers.CharField()
    criteria_set = CriteriaSetSerializer()
    facts = FactSerializer(many=True)


class SelfCheckLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    answers = serializers.ListField(child=serializers.CharField())
    rule = serializers.CharField(allow_blank=True)
    points = serializers.FloatField()
    lost = serializers.FloatField(allow_null=True)
    state = serializers.CharField()
    bonus = serializers.BooleanField()


class SelfCheckHintSerializer(serializers.Serializer):
    label = serializers.CharField()
    changes = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    gain = serializers.FloatField()


class SelfCheckResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="pass, fail or incomplete")
    total = serializers.FloatField()
    pass_mark = serializers.FloatField()
    lines = SelfCheckLineSerializer(many=True)
    failed = serializers.ListField(child=serializers.CharField())
    unknown = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    invalid = serializers.ListField(child=serializers.CharField())
    hints = SelfCheckHintSerializer(many=True)


class SelfCheckAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Fact name -> value, for the facts listed by the GET of this URL.")


def criteria_problem(exc: Exception) -> ApiError:
    """The engine's definition errors as a 400 naming every problem."""
    if isinstance(exc, DefinitionError):
        fields = {exc.path or "definition": [exc.message]}
    else:
        fields: dict[str, list[str]] = {}
        for issue in getattr(exc, "issues", []):
            fields.setdefault(issue.path or issue.subject, []).append(issue.message)
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        "invalid_criteria",
        _("The criteria set has problems. See the fields for details."),
        fields,
    )


class CodeCursor(Cursor):
    ordering = "code"


class OccupationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", help_text="Code prefix, or words of the title in the request's language or in English."
    )
    major_code = django_filters.CharFilter()

    class Meta:
        model = Occupation
        fields = ["major_code"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(code__in=[code for code, _title in occupations_search(value, limit=None)])


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
    error_statuses = ("409",)

    @extend_schema(
        operation_id="criteria_sets_export",
        summary="The criteria set as portable JSON",
        tags=["criteria admin"],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request, pk=None):
        return Response(services.criteria_set_export(self.get_object()))

    @extend_schema(
        operation_id="criteria_sets_import",
        summary="Create a draft from exported JSON",
        tags=["criteria admin"],
        request=OpenApiTypes.OBJECT,
        responses={201: CriteriaSetSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", filter_backends=[], pagination_class=None)
    def import_(self, request):
        body = CriteriaDefinitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            criteria_set = services.criteria_set_import(data=body.validated_data, actor=request.user)
        except (DefinitionError, CriteriaError) as exc:
            raise criteria_problem(exc) from exc
        return Response(CriteriaSetSerializer(criteria_set).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="criteria_sets_new_draft",
        summary="Start a new draft version copying this set",
        tags=["criteria admin"],
        request=None,
        responses={201: CriteriaSetSerializer},
    )
    @action(detail=True, methods=["post"], url_path="draft", filter_backends=[], pagination_class=None)
    def new_draft(self, request, pk=None):
        draft = services.criteria_set_new_draft(criteria_set=self.get_object(), actor=request.user)
        return Response(CriteriaSetSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="criteria_sets_publish",
        summary="Publish this draft (retires the set it replaces)",
        tags=["criteria admin"],
        request=None,
        responses={200: CriteriaSetSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def publish(self, request, pk=None):
        try:
            published = services.criteria_set_publish(criteria_set=self.get_object(), actor=request.user)
        except (DefinitionError, CriteriaError) as exc:
            raise criteria_problem(exc) from exc
        return Response(CriteriaSetSerializer(published).data)


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


class RatingFilter(django_filters.FilterSet):
    class Meta:
        model = ScarceProfession
        fields = ["year", "sector", "priority"]


class RegionYearFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region_id")

    class Meta:
        model = RegionYear
        fields = ["year", "region", "labour_deficient"]


class _CsvTableViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """A yearly reference table for criteria admins: list it, import it from CSV (all rows
    valid, or nothing is written) and export it in the import's columns. Subclasses name the
    serializers and the ``eligibility.rating`` functions; their schema names the operations."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsCriteriaAdmin]
    csv_serializer_class: type[serializers.Serializer]
    import_csv: Any
    export_csv: Any

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=False, methods=["post"], url_path="import", filter_backends=[], pagination_class=None)
    def import_(self, request):
        body = self.csv_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        report = type(self).import_csv(body.validated_data["csv"], actor=request.user)
        if not report.ok:
            raise csv_problem(report)
        return Response({"created": report.created, "updated": report.updated})

    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request):
        return Response({"csv": type(self).export_csv(year_parameter(request))})


def _csv_table_schema(name: str, what: str, csv_serializer: type[serializers.Serializer], export_note: str) -> Any:
    return extend_schema_view(
        list=extend_schema(operation_id=f"{name}_list", tags=["criteria admin"]),
        import_=extend_schema(
            operation_id=f"{name}_import",
            summary=f"Import {what} from CSV (all rows valid, or nothing is written)",
            tags=["criteria admin"],
            request=csv_serializer,
            responses={200: CsvImportResultSerializer},
        ),
        export=extend_schema(
            operation_id=f"{name}_export",
            summary=f"{what[0].upper()}{what[1:]} as CSV ({export_note})",
            tags=["criteria admin"],
            parameters=[YEAR_PARAMETER],
            responses={200: csv_serializer},
        ),
    )


@_csv_table_schema("rating", "the rating", CsvSerializer, "the import's columns")
class RatingViewSet(_CsvTableViewSet):
    """The rating of key competencies (scarce professions by year, sector and priority)."""

    queryset = ScarceProfession.objects.all()
    serializer_class = ScarceProfessionSerializer
    filterset_class = RatingFilter
    csv_serializer_class = CsvSerializer
    import_csv = staticmethod(rating.rating_import)
    export_csv = staticmethod(rating.rating_export)


@_csv_table_schema("region_years", "the flags", RegionYearsCsvSerializer, "the import's columns plus name_en")
class RegionYearViewSet(_CsvTableViewSet):
    """The regions' yearly labour-deficient flags (the criteria's ``labour_deficient_regions``
    table; a region without a row for a year keeps its resettlement designation)."""

    queryset = RegionYear.objects.all()
    serializer_class = RegionYearSerializer
    filterset_class = RegionYearFilter
    csv_serializer_class = RegionYearsCsvSerializer
    import_csv = staticmethod(rating.region_years_import)
    export_csv = staticmethod(rating.region_years_export)


@extend_schema_view(list=extend_schema(operation_id="quotas_list", tags=["criteria admin"]))
class QuotaViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """Quotas of a year with places used, remaining and cases waiting."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsCriteriaAdmin]
    serializer_class = QuotaSerializer
    pagination_class = None

    def get_queryset(self):
        return Quota.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Default: the current quota year")]
    )
    def list(self, request):
        rows = []
        for row in hooks.provider("quota_overview")(year_parameter(request)):
            quota = row["quota"]
            quota.waiting = row["waiting"]
            rows.append(quota)
        return Response(QuotaSerializer(rows, many=True).data)


def _answers_as_form_data(answers: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        if isinstance(value, bool):
            data[name] = "true" if value else "false"
        elif isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif value is not None and not isinstance(value, dict):
            data[name] = str(value)
    return data


PRODUCT_PARAMETER = OpenApiParameter(
    "product",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(Product.values),
    description="kandas_card or skills_visa",
)


class SelfCheckViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """The public eligibility self-check: answers are scored against the published criteria, never saved."""

    permission_classes = [AllowAny]
    serializer_class = SelfCheckAnswersSerializer
    pagination_class = None
    lookup_field = "product"
    lookup_value_regex = r"[a-z_]+"

    @property
    def throttle_scope(self) -> str | None:
        return "self_check"

    def _published(self, product: str) -> CriteriaSet:
        if product not in Product.values:
            raise NotFound
        criteria_set = services.published_set(product)
        if criteria_set is None:
            raise NotFound
        return criteria_set

    @extend_schema(
        operation_id="self_check_questions",
        summary="The questions (facts) of the published criteria",
        tags=["public"],
        parameters=[PRODUCT_PARAMETER],
        responses={200: SelfCheckQuestionsSerializer},
    )
    def retrieve(self, request, product=None):
        criteria_set = self._published(product)
        definition = definition_from_set(criteria_set)
        form = self_check_form(definition)
        facts = [
            {
                "name": spec.name,
                "type": spec.type,
                "label": criteria_text(spec.label, definition.translations) or spec.name,
                "required": form.fields[spec.name].required,
                "choices": list(spec.choices) if spec.choices is not None else None,
            }
            for spec in self_check_questions(definition)
        ]
        data = {"product": product, "criteria_set": CriteriaSetSerializer(criteria_set).data, "facts": facts}
        return Response(data)

    @extend_schema(
        operation_id="self_check_score",
        summary="Score answers: total, breakdown, knock-outs and what would raise the score",
        tags=["public"],
        parameters=[PRODUCT_PARAMETER],
        request=SelfCheckAnswersSerializer,
        responses={200: SelfCheckResultSerializer},
    )
    def score(self, request, product=None):
        from eligibility.views import explain

        criteria_set = self._published(product)
        body = SelfCheckAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        definition = definition_from_set(criteria_set)
        form = self_check_form(definition, _answers_as_form_data(body.validated_data["answers"]))
        if not form.is_valid():
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                "invalid",
                _("Some of the information sent is not valid. See the fields for details."),
                {f"answers.{k}": [str(m) for m in v] for k, v in form.errors.items()},
            )
        result = services.evaluator_for(criteria_set).evaluate(facts_from_form(form, definition))
        self_check_completed.send(sender=criteria_set.product, product=criteria_set.product)
        return Response(explain(result, definition))
