"""REST API for applicants (their own applications) and caseworkers (their queues).

Views are thin: they check who may call them, find the object through the same access
gates as the web pages (applications.access: an object one cannot see is a 404), call one
service function, and render. Business rules live in the services and the workflow.
"""

from __future__ import annotations

import django_filters
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from applications import workflow
from applications.access import application_for
from applications.audit import client_ip
from applications.models import Application, AuditEvent
from applications.states import State
from eligibility.products import Product
from portal.api import concurrency
from portal.api.permissions import IsApplicant
from portal.api.views import ApiLanguageMixin

# Audit reasons the applicant may read in their timeline; the rest (recommendations,
# internal notes) are for staff only.
APPLICANT_VISIBLE_REASONS = frozenset({"request_info", "refuse", "withdraw", "reply", "send_back_to_applicant"})


class ApplicationSummarySerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    product_label = serializers.CharField(source="get_product_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "product",
            "product_label",
            "state",
            "state_label",
            "reference",
            "track",
            "version",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class ApplicationSerializer(ApplicationSummarySerializer):
    answers = serializers.DictField(read_only=True, help_text="Answers by section name.")
    actions = serializers.SerializerMethodField(help_text="Workflow actions the caller may take now.")
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "answers",
            "region",
            "sector",
            "occupation_code",
            "score",
            "passes",
            "actions",
        ]
        read_only_fields = fields

    def get_actions(self, application: Application) -> list[str]:
        return workflow.actions_for(application, self.context["request"].user)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class TimelineEntrySerializer(serializers.ModelSerializer):
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "from_state", "to_state", "reason", "created_at"]
        read_only_fields = fields

    def get_reason(self, event: AuditEvent) -> str:
        return event.reason if event.action in APPLICANT_VISIBLE_REASONS else ""


class ApplicationFilter(django_filters.FilterSet):
    product = django_filters.ChoiceFilter(choices=Product.choices)
    state = django_filters.ChoiceFilter(choices=State.choices)

    class Meta:
        model = Application
        fields = ["product", "state"]


@extend_schema_view(
    list=extend_schema(operation_id="applications_list", summary="Your applications"),
    retrieve=extend_schema(
        operation_id="applications_read", summary="One of your applications", responses={200: ApplicationSerializer}
    ),
)
class ApplicationViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """An applicant's own applications. Someone else's application is a 404."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsApplicant]
    serializer_class = ApplicationSummarySerializer
    filterset_class = ApplicationFilter
    lookup_value_regex = r"\d+"
    error_statuses_by_action = {"withdraw": ("409",), "timeline": ()}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return Application.objects.filter(owner=self.request.user)

    def get_object(self, *, write: bool = False) -> Application:
        pk = self.kwargs["pk"]
        return application_for(self.request.user, int(pk), write=write)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ApplicationSummarySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        application = self.get_object()
        data = ApplicationSerializer(application, context={"request": request}).data
        return concurrency.with_etag(Response(data), application.version)

    @extend_schema(
        operation_id="applications_timeline",
        summary="What happened to the application, oldest first",
        responses={200: TimelineEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        application = self.get_object()
        events = AuditEvent.objects.filter(application=application, to_state__gt="").order_by("created_at", "id")
        return Response(TimelineEntrySerializer(events, many=True).data)

    @extend_schema(
        operation_id="applications_withdraw",
        summary="Withdraw the application",
        request=ReasonSerializer,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request, pk=None):
        application = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            application = workflow.application_transition(
                application=application,
                action="withdraw",
                actor=request.user,
                reason=body.validated_data["reason"],
                ip_address=client_ip(request),
            )
        data = ApplicationSerializer(application, context={"request": request}).data
        return concurrency.with_etag(Response(data, status=status.HTTP_200_OK), application.version)
