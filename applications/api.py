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
from applications.documents.selectors import documents_for_application
from applications.documents.services import UploadRefused, document_upload
from applications.models import Application, AuditEvent, Document
from applications.states import State
from eligibility.products import Product
from portal.api import concurrency, idempotency
from portal.api.errors import ApiError
from portal.api.permissions import IsApplicant
from portal.api.serializers import ReadModelSerializer
from portal.api.views import ApiLanguageMixin

# Audit reasons the applicant may read in their timeline; the rest (recommendations,
# internal notes) are for staff only.
APPLICANT_VISIBLE_REASONS = frozenset({"request_info", "refuse", "withdraw", "reply", "send_back_to_applicant"})


class ApplicationSummarySerializer(ReadModelSerializer):
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


class TimelineEntrySerializer(ReadModelSerializer):
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "from_state", "to_state", "reason", "created_at"]
        read_only_fields = fields

    def get_reason(self, event: AuditEvent) -> str:
        return event.reason if event.action in APPLICANT_VISIBLE_REASONS else ""


class DocumentSerializer(ReadModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    rejection_message = serializers.CharField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_label",
            "original_name",
            "size",
            "sha256",
            "detected_type",
            "status",
            "status_label",
            "rejection_code",
            "rejection_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    file = serializers.FileField(allow_empty_file=True, use_url=False)


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
    error_statuses_by_action = {"withdraw": ("409",), "documents_upload": ("409", "422")}

    @property
    def throttle_scope(self) -> str | None:
        return "upload" if self.action == "documents_upload" else None

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

    @extend_schema(
        operation_id="applications_documents_list",
        summary="Documents uploaded for the application",
        responses={200: DocumentSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def documents(self, request, pk=None):
        application = self.get_object()
        return Response(DocumentSerializer(documents_for_application(application), many=True).data)

    @extend_schema(
        operation_id="applications_documents_upload",
        summary="Upload one document (checked and sanitised in the background)",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        parameters=[idempotency.PARAMETER],
    )
    @documents.mapping.post
    def documents_upload(self, request, pk=None):
        application = self.get_object(write=True)
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def upload() -> Response:
            uploaded = body.validated_data["file"]
            try:
                document = document_upload(
                    application=application,
                    kind=body.validated_data["kind"],
                    uploaded=uploaded,
                    actor=request.user,
                    content_type=getattr(uploaded, "content_type", None),
                )
            except UploadRefused as refusal:
                raise ApiError(
                    status.HTTP_400_BAD_REQUEST, refusal.code, refusal.message, {"file": [refusal.message]}
                ) from refusal
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

        return idempotency.idempotent(request, upload)
