"""REST API for caseworkers and seniors: their queues, claiming, the case, RFI, decisions.

Same rules as the workbench pages: the casework services (applications/casework/services.py) decide
and audit; cases outside the caller's queues do not exist (404).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applications.access import application_for
from applications.api import ApplicationSummarySerializer, DocumentSerializer
from applications.casework import services as casework
from applications.casework.filters import QueueFilter
from applications.casework.queues import queues_of
from applications.casework.selectors import case_detail, queue_cases
from applications.models import Application, Decision, Document, LegalGround, Queue, RequestForInformation
from applications.states import State
from applications.workflow import TransitionRefused, actions_for
from portal import privacy, roles
from portal.api.pagination import Cursor
from portal.api.permissions import IsCaseReader, IsCaseworker, IsSenior
from portal.api.serializers import ReadModelSerializer
from portal.api.views import ApiLanguageMixin
from portal.client import client_ip


class CaseFilter(QueueFilter):
    """The queue page's filters (bounds included); ordering comes from the cursor pagination instead of ``sort``."""


del CaseFilter.base_filters["sort"]


class QueueSerializer(ReadModelSerializer):
    class Meta:
        model = Queue
        fields = ["id", "name", "product", "priority_from", "priority_to"]


class CaseSummarySerializer(ApplicationSummarySerializer):
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    claimed_by = serializers.EmailField(source="claimed_by.email", read_only=True, allow_null=True, default=None)
    # From the narrow score table (Application.score reads the ``scoring`` relation).
    score = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            "id",
            "reference",
            "product",
            "state",
            "state_label",
            "applicant_name",
            "region",
            "sector",
            "score",
            "priority",
            "submitted_at",
            "claimed_by",
        ]


class RfiSerializer(ReadModelSerializer):
    class Meta:
        model = RequestForInformation
        fields = ["id", "text", "document_kinds", "deadline", "reply_text", "replied_at", "created_at"]


class DecisionSerializer(ReadModelSerializer):
    grounds = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "recommendation", "grounds", "text", "recommended_at", "outcome", "confirmed_at"]


class CaseSerializer(CaseSummarySerializer):
    # Identifiers masked for the roles docs/privacy.md names (portal.privacy.answers_for).
    answers = serializers.DictField(read_only=True, source="visible_answers")
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)
    passes = serializers.BooleanField(read_only=True, allow_null=True)
    # Filled from the case_detail selector (one query each), not from the relations.
    documents = DocumentSerializer(many=True, read_only=True, source="case_documents")
    rfis = RfiSerializer(many=True, read_only=True, source="case_rfis")
    decisions = DecisionSerializer(many=True, read_only=True, source="case_decisions")

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "occupation_code",
            "passes",
            "answers",
            "actions",
            "documents",
            "rfis",
            "decisions",
        ]


class LegalGroundSerializer(ReadModelSerializer):
    class Meta:
        model = LegalGround
        fields = ["id", "code", "applies_to", "title_en", "title_ru", "title_kk", "legal_basis"]


class RfiCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    document_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Document.Kind.choices), required=False, default=list
    )
    days = serializers.IntegerField(min_value=1, max_value=90, default=lambda: settings.RFI_REPLY_DAYS)


class RecommendSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Decision.Recommendation.choices)
    grounds = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1)
    text = serializers.CharField(max_length=10000)


class ConfirmSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class CaseCursor(Cursor):
    ordering = "id"


@extend_schema_view(
    list=extend_schema(operation_id="casework_cases_list", summary="Cases in your queues", tags=["casework"]),
)
class CaseViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """Cases in the caller's queues. Auditors may read; only caseworkers act."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsCaseReader]
    serializer_class = CaseSummarySerializer
    filterset_class = CaseFilter
    pagination_class = CaseCursor
    lookup_value_regex = r"\d+"
    error_statuses = ("409",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        if roles.has_role(self.request.user, *roles.CASEWORK_ROLES):
            return queue_cases(self.request.user)
        # Auditors read every submitted case (applications.access.staff_can_see).
        return Application.objects.exclude(state=State.DRAFT).select_related("region", "claimed_by", "scoring")

    def get_permissions(self):
        permissions = super().get_permissions()
        if self.action in ("claim", "claim_next", "resume_review", "request_info", "recommend"):
            permissions.append(IsCaseworker())
        if self.action in ("confirm", "send_back"):
            permissions.append(IsSenior())
        return permissions

    def get_object(self) -> Application:
        application = application_for(self.request.user, int(self.kwargs["pk"]))
        if application.owner_id == self.request.user.pk:
            raise NotFound  # one's own application is never a case to work
        return application

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CaseSummarySerializer(page, many=True).data)

    def _case(self, request, application: Application, code: int = status.HTTP_200_OK) -> Response:
        detail = case_detail(application, request.user)
        context = {"decision": detail["pending_decision"]} if detail["pending_decision"] else {}
        application.actions = actions_for(application, request.user, context)
        application.visible_answers = privacy.answers_for(request.user, application.answers, application.owner_id)
        application.case_documents = detail["documents"]
        application.case_rfis = detail["rfis"]
        application.case_decisions = detail["decisions"]
        return Response(CaseSerializer(application).data, status=code)

    @extend_schema(operation_id="casework_cases_read", summary="One case", tags=["casework"], responses=CaseSerializer)
    def retrieve(self, request, pk=None):
        return self._case(request, self.get_object())

    @extend_schema(
        operation_id="casework_claim_next",
        summary="Claim the next case of your queues (204 when none is waiting)",
        tags=["casework"],
        request=None,
        responses={200: CaseSerializer, 204: None},
    )
    @action(detail=False, methods=["post"], url_path="claim-next", filter_backends=[], pagination_class=None)
    def claim_next(self, request):
        application = casework.case_claim_next(actor=request.user, ip_address=client_ip(request))
        if application is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._case(request, application_for(request.user, application.pk))

    @extend_schema(
        operation_id="casework_claim",
        summary="Claim this case",
        tags=["casework"],
        request=None,
        responses=CaseSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def claim(self, request, pk=None):
        application = self.get_object()
        casework.case_claim(application=application, actor=request.user, ip_address=client_ip(request))
        return self._case(request, self.get_object())

    @extend_schema(
        operation_id="casework_resume_review",
        summary="Resume the review of a case you hold that came back to the queue (the applicant replied)",
        tags=["casework"],
        request=None,
        responses=CaseSerializer,
    )
    @action(detail=True, methods=["post"], url_path="resume-review", filter_backends=[], pagination_class=None)
    def resume_review(self, request, pk=None):
        application = self.get_object()
        casework.review_resume(application=application, actor=request.user, ip_address=client_ip(request))
        return self._case(request, self.get_object())

    @extend_schema(
        operation_id="casework_request_info",
        summary="Ask the applicant for information",
        tags=["casework"],
        request=RfiCreateSerializer,
        responses={201: RfiSerializer},
    )
    @action(detail=True, methods=["post"], url_path="request-info", filter_backends=[], pagination_class=None)
    def request_info(self, request, pk=None):
        application = self.get_object()
        body = RfiCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if application.claimed_by_id != request.user.pk:
            raise TransitionRefused(_("Claim the case first."))
        rfi = casework.rfi_create(
            application=application,
            actor=request.user,
            text=body.validated_data["text"],
            document_kinds=body.validated_data["document_kinds"],
            deadline=timezone.now() + timedelta(days=body.validated_data["days"]),
            ip_address=client_ip(request),
        )
        return Response(RfiSerializer(rfi).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="casework_recommend",
        summary="Recommend approval or refusal (legal grounds required)",
        tags=["casework"],
        request=RecommendSerializer,
        responses={201: DecisionSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def recommend(self, request, pk=None):
        application = self.get_object()
        body = RecommendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = casework.decision_recommend(
            application=application,
            actor=request.user,
            recommendation=body.validated_data["recommendation"],
            grounds=body.validated_data["grounds"],
            text=body.validated_data["text"],
            ip_address=client_ip(request),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="casework_confirm",
        summary="Confirm the recommendation (four-eyes: a different senior)",
        tags=["casework"],
        request=ConfirmSerializer,
        responses=CaseSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def confirm(self, request, pk=None):
        application = self.get_object()
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        casework.decision_confirm(
            application=application, actor=request.user, note=body.validated_data["note"], ip_address=client_ip(request)
        )
        return self._case(request, self.get_object())

    @extend_schema(
        operation_id="casework_send_back",
        summary="Send the recommendation back to the caseworker",
        tags=["casework"],
        request=SendBackSerializer,
        responses=CaseSerializer,
    )
    @action(detail=True, methods=["post"], url_path="send-back", filter_backends=[], pagination_class=None)
    def send_back(self, request, pk=None):
        application = self.get_object()
        body = SendBackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        casework.decision_send_back(
            application=application,
            actor=request.user,
            reason=body.validated_data["reason"],
            ip_address=client_ip(request),
        )
        return self._case(request, self.get_object())


@extend_schema_view(list=extend_schema(operation_id="casework_queues_list", tags=["casework"]))
class QueueViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """The queues the caller works (as caseworker or senior)."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsCaseworker]
    serializer_class = QueueSerializer
    pagination_class = None

    def get_queryset(self):
        return Queue.objects.none()

    def list(self, request):
        return Response(QueueSerializer(queues_of(request.user), many=True).data)


@extend_schema_view(list=extend_schema(operation_id="casework_legal_grounds_list", tags=["casework"]))
class LegalGroundViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """Legal grounds a recommendation cites (active ones)."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsCaseReader]
    serializer_class = LegalGroundSerializer
    pagination_class = None

    def get_queryset(self):
        return LegalGround.objects.filter(is_active=True).order_by("code")

    def list(self, request):
        return Response(LegalGroundSerializer(self.get_queryset(), many=True).data)
