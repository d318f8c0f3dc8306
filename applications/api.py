"""REST API for applicants (their own applications) and caseworkers (their queues).

Views are thin: they check who may call them, find the object through the same access
gates as the web pages (an object one cannot see is a 404), validate with the same section
forms, call one service function, and render. Business rules live in the services.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from applications import reviews, sections, selectors, services, workflow
from applications.access import application_for
from applications.documents.selectors import documents_for_application
from applications.documents.services import UploadRefused
from applications.forms.common import FamilyForm, FamilyMemberForm
from applications.forms.fields import DatePartsField
from applications.models import Application, Document
from applications.products import product_choices
from applications.states import State
from portal.api import concurrency, idempotency
from portal.api.errors import ApiError, conflict
from portal.api.permissions import IsApplicant, IsVerified
from portal.api.serializers import ReadModelSerializer
from portal.api.views import ApiLanguageMixin
from portal.client import client_ip


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


class TaskSerializer(serializers.Serializer):
    section = serializers.CharField(source="section.slug")
    title = serializers.CharField(source="section.title")
    group = serializers.CharField(source="section.group")
    status = serializers.ChoiceField(
        choices=[sections.NOT_STARTED, sections.IN_PROGRESS, sections.COMPLETED, sections.CANNOT_START]
    )
    status_label = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    """The administrative review route of a refused case, and its latest review."""

    may_request = serializers.BooleanField(help_text="The applicant may ask for a review now.")
    request_by = serializers.DateTimeField(
        allow_null=True, help_text="Last moment to ask (null: no route for this refusal)."
    )
    status = serializers.CharField(allow_null=True, help_text="pending, upheld, overturned or withdrawn.")
    status_label = serializers.CharField(allow_null=True)
    requested_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="When the review is due (its own target).")
    outcome_reason = serializers.CharField(allow_null=True)


class ReviewRequestSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=5000, help_text="Why the refusal should be reviewed.")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=5, help_text="Optional documents."
    )


class ApplicationSerializer(ApplicationSummarySerializer):
    answers = serializers.DictField(read_only=True, help_text="Answers by section slug (``_progress``: statuses).")
    actions = serializers.SerializerMethodField(help_text="Workflow actions the caller may take now.")
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    tasks = serializers.SerializerMethodField(help_text="Sections of the task list and their status (drafts).")
    open_request = serializers.SerializerMethodField(help_text="Request for information awaiting a reply, if any.")
    review = serializers.SerializerMethodField(help_text="Administrative review of a refusal (null otherwise).")

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "answers",
            "region",
            "sector",
            "occupation_code",
            "actions",
            "tasks",
            "open_request",
            "review",
        ]

    def get_actions(self, application: Application) -> list[str]:
        return workflow.actions_for(application, self.context["request"].user)

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, application: Application) -> list[dict]:
        if application.state != State.DRAFT:
            return []
        items = [item for group in selectors.task_list(application) for item in group.items]
        return TaskSerializer(items, many=True).data

    def get_open_request(self, application: Application) -> str:
        return selectors.open_request(application)

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_review(self, application: Application) -> dict | None:
        route = reviews.review_route(application)
        if route.request_by is None and route.review is None:
            return None
        latest = route.review
        return ReviewSerializer(
            {
                "may_request": route.may_request,
                "request_by": route.request_by,
                "status": latest.outcome if latest else None,
                "status_label": latest.get_outcome_display() if latest else None,
                "requested_at": latest.requested_at if latest else None,
                "due_at": latest.due_at if latest else None,
                # The reviewer's reasons are written for the applicant; a withdrawal's is the portal's own.
                "outcome_reason": latest.outcome_reason if latest and latest.outcome != "withdrawn" else None,
            }
        ).data


class CreateApplicationSerializer(serializers.Serializer):
    product = serializers.ChoiceField(choices=product_choices())


class SectionWriteSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="Field name -> value, as in the web form: dates as YYYY-MM-DD, multiple choices as lists, "
        "yes/no boxes as true/false. For the family section: {coming: yes|no, members: [{name_latin, "
        "relationship, date_of_birth}]}."
    )
    complete = serializers.BooleanField(
        default=True, help_text="false saves the answers as typed, unvalidated, to finish later."
    )


class SectionSerializer(serializers.Serializer):
    section = serializers.CharField()
    answers = serializers.DictField()
    status = serializers.CharField()
    version = serializers.IntegerField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        required=False,
        default=list,
        max_length=10,
        help_text="Documents asked for (multipart, the field repeated once per file).",
    )


class DocumentSerializer(ReadModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    rejection_message = serializers.CharField(read_only=True)
    original_name = serializers.CharField(source="display_name", read_only=True)

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


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class ApplicationFilter(django_filters.FilterSet):
    product = django_filters.ChoiceFilter(choices=product_choices())
    state = django_filters.ChoiceFilter(choices=State.choices)

    class Meta:
        model = Application
        fields = ["product", "state"]


def form_data(form_class: type, answers: dict[str, Any]) -> QueryDict:
    """JSON answers as the POST data the section form reads (the web and the API share the form)."""
    data = QueryDict(mutable=True)
    for name, field in form_class.base_fields.items():
        if name not in answers or answers[name] is None:
            continue
        value = answers[name]
        if isinstance(field, DatePartsField):
            parts = str(value).split("-")
            if len(parts) == 3:
                year, month, day = parts
                data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
            else:
                data.update({f"{name}_0": str(value), f"{name}_1": "", f"{name}_2": ""})
        elif isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dict):
            data[name] = ""
        else:
            data[name] = str(value)
    return data


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def _invalid(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        "invalid",
        _("Some of the information sent is not valid. See the fields for details."),
        {k if k != "__all__" else "non_field_errors": v for k, v in fields.items()},
    )


SECTION_PARAMETER = OpenApiParameter(
    "section", OpenApiTypes.STR, OpenApiParameter.PATH, description="Section slug, as in ``tasks``"
)


@extend_schema_view(
    list=extend_schema(operation_id="applications_list", summary="Your applications"),
)
class ApplicationViewSet(ApiLanguageMixin, viewsets.GenericViewSet):
    """An applicant's own applications. Someone else's application is a 404."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsApplicant, IsVerified]
    serializer_class = ApplicationSummarySerializer
    filterset_class = ApplicationFilter
    lookup_value_regex = r"\d+"
    error_statuses_by_action = {
        "create": ("409",),
        "withdraw": ("409",),
        "submit": ("409", "422"),
        "reply": ("409",),
        "review_request": ("409",),
        "review_withdraw": ("409",),
        "documents_upload": ("409", "422"),
        "section_write": ("409", "412", "428"),
    }

    @property
    def throttle_scope(self) -> str | None:
        return "upload" if self.action in ("documents_upload", "reply", "review_request") else None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return Application.objects.filter(owner=self.request.user)

    def get_object(self, *, write: bool = False) -> Application:
        application = application_for(self.request.user, int(self.kwargs["pk"]), write=write)
        if application.owner_id != self.request.user.pk:
            raise NotFound  # staff read cases through the casework endpoints
        return application

    def _detail(self, request, application: Application, code: int = status.HTTP_200_OK) -> Response:
        data = ApplicationSerializer(application, context={"request": request}).data
        return concurrency.with_etag(Response(data, status=code), application.version)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ApplicationSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="applications_create",
        summary="Start a draft (or get the draft already open for this product)",
        request=CreateApplicationSerializer,
        responses={201: ApplicationSerializer},
    )
    def create(self, request):
        body = CreateApplicationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            application = services.application_start(owner=request.user, product=body.validated_data["product"])
        except services.ApplicationStartRefused as refusal:
            raise conflict(
                "application_exists",
                _("You already have an application for this in progress (%(ref)s).")
                % {"ref": refusal.application.reference or refusal.application.pk},
            ) from refusal
        return self._detail(request, application, status.HTTP_201_CREATED)

    @extend_schema(operation_id="applications_read", summary="One of your applications")
    def retrieve(self, request, pk=None):
        return self._detail(request, self.get_object())

    @extend_schema(
        operation_id="applications_section_read",
        summary="One section's answers, with the ETag to send back",
        parameters=[SECTION_PARAMETER],
        responses={200: SectionSerializer},
    )
    @action(detail=True, methods=["get"], url_path=r"sections/(?P<section>[a-z_]+)", filter_backends=[])
    def section(self, request, pk=None, section=None):
        application = self.get_object()
        if sections.section_named(application.product, section) is None:
            raise NotFound
        return self._section_response(application, section)

    def _section_response(self, application: Application, slug: str) -> Response:
        items = {i.section.slug: i for g in selectors.task_list(application) for i in g.items}
        item = items.get(slug)
        data = {
            "section": slug,
            "answers": application.answers.get(slug) or {},
            "status": item.status if item else sections.CANNOT_START,
            "version": application.version,
        }
        return concurrency.with_etag(Response(data), application.version)

    @extend_schema(
        operation_id="applications_section_write",
        summary="Save one section (If-Match required)",
        parameters=[SECTION_PARAMETER, concurrency.IF_MATCH],
        request=SectionWriteSerializer,
        responses={200: SectionSerializer},
    )
    @section.mapping.put
    def section_write(self, request, pk=None, section=None):
        application = self.get_object(write=True)
        expected = concurrency.required_version(request)
        spec = sections.section_named(application.product, section)
        if spec is None or section == sections.DOCUMENTS:
            raise NotFound
        items = {i.section.slug: i for g in selectors.task_list(application) for i in g.items}
        if section not in items:
            raise NotFound  # not on this track
        if not items[section].can_start:
            raise conflict("section_cannot_start", _("Complete the sections this one depends on first."))
        body = SectionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers, complete = body.validated_data["answers"], body.validated_data["complete"]
        if section == sections.FAMILY:
            values = self._family_values(application, answers, complete)
        else:
            form = spec.form_class(form_data(spec.form_class, answers), application=application)
            if not (form.is_valid() if complete else form.is_saveable()):
                raise _invalid(_form_errors(form))
            values = form.answers() if complete else form.typed()
        try:
            application = services.answers_save(
                application=application,
                section=section,
                values=values,
                complete=complete,
                actor=request.user,
                expected_version=expected,
            )
        except services.StaleAnswers as exc:
            raise concurrency.precondition_failed() from exc
        except services.NotEditable as exc:
            raise conflict("not_editable", _("This application can no longer be changed.")) from exc
        return self._section_response(application, section)

    def _family_values(self, application: Application, answers: dict, complete: bool) -> dict:
        confirm = FamilyForm(form_data(FamilyForm, answers), application=application)
        errors: dict[str, list[str]] = {}
        if not confirm.is_valid():
            errors.update(_form_errors(confirm))
        members = answers.get("members") or []
        if not isinstance(members, list):
            errors["members"] = [_("Send a list of family members.")]
            members = []
        cleaned = []
        for index, member in enumerate(members):
            form = FamilyMemberForm(
                form_data(FamilyMemberForm, member if isinstance(member, dict) else {}),
                application=application,
            )
            if form.is_valid():
                cleaned.append(form.answers())
            else:
                errors.update({f"members.{index}.{k}": v for k, v in _form_errors(form).items()})
        if errors and complete:
            raise _invalid(errors)
        # Saved unfinished: an invalid answer is kept as no answer, never stored as sent.
        coming = confirm.cleaned_data.get("coming", "") if confirm.is_valid() else ""
        return {"coming": coming, "members": cleaned if coming == "yes" else []}

    @extend_schema(
        operation_id="applications_submit",
        summary="Submit the application (Idempotency-Key supported)",
        request=None,
        parameters=[idempotency.PARAMETER],
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request, pk=None):
        application = self.get_object()

        def submit() -> Response:
            try:
                submitted = services.application_submit(
                    application=application, actor=request.user, ip_address=client_ip(request)
                )
            except services.SubmissionIncomplete as exc:
                raise ApiError(
                    status.HTTP_409_CONFLICT,
                    "submission_incomplete",
                    _("Complete every section before you submit."),
                    {"sections": exc.missing},
                ) from exc
            return self._detail(request, submitted)

        return idempotency.idempotent(request, submit)

    @extend_schema(
        operation_id="applications_timeline",
        summary="What happened to the application, oldest first",
        responses={200: TimelineEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        application = self.get_object()
        return Response(TimelineEntrySerializer(selectors.timeline(application), many=True).data)

    @extend_schema(
        operation_id="applications_withdraw",
        summary="Withdraw the application",
        request=None,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request, pk=None):
        application = self.get_object()
        application = services.application_withdraw(
            application=application, actor=request.user, ip_address=client_ip(request)
        )
        return self._detail(request, application)

    @extend_schema(
        operation_id="applications_review_request",
        summary="Ask for an administrative review of the refusal (optionally with documents)",
        request={"multipart/form-data": ReviewRequestSerializer, "application/json": ReviewRequestSerializer},
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="review", filter_backends=[], pagination_class=None)
    def review_request(self, request, pk=None):
        application = self.get_object()
        body = ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            reviews.review_request(
                application=application,
                actor=request.user,
                grounds=body.validated_data["grounds"],
                files=body.validated_data["files"],
                ip_address=client_ip(request),
            )
        except UploadRefused as refusal:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, refusal.code, refusal.message, {"files": [refusal.message]}
            ) from refusal
        application.refresh_from_db()
        return self._detail(request, application)

    @extend_schema(
        operation_id="applications_review_withdraw",
        summary="Withdraw the request for a review (the refusal stands)",
        request=None,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="review/withdraw", filter_backends=[], pagination_class=None)
    def review_withdraw(self, request, pk=None):
        application = self.get_object()
        application = reviews.review_withdraw(
            application=application, actor=request.user, ip_address=client_ip(request)
        )
        return self._detail(request, application)

    @extend_schema(
        operation_id="applications_reply",
        summary="Answer a request for information (optionally with documents)",
        request={"multipart/form-data": ReplySerializer, "application/json": ReplySerializer},
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reply(self, request, pk=None):
        application = self.get_object()
        body = ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            application = services.application_reply(
                application=application,
                actor=request.user,
                text=body.validated_data["text"],
                files=body.validated_data["files"],
                ip_address=client_ip(request),
            )
        except UploadRefused as refusal:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, refusal.code, refusal.message, {"files": [refusal.message]}
            ) from refusal
        return self._detail(request, application)

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
        summary="Upload one document (checked and sanitised in the background; Idempotency-Key supported)",
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
            try:
                document = services.document_add(
                    application=application,
                    kind=body.validated_data["kind"],
                    uploaded=body.validated_data["file"],
                    actor=request.user,
                )
            except UploadRefused as refusal:
                raise ApiError(
                    status.HTTP_400_BAD_REQUEST, refusal.code, refusal.message, {"file": [refusal.message]}
                ) from refusal
            except services.NotEditable as exc:
                raise conflict("not_editable", _("This application can no longer be changed.")) from exc
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

        return idempotency.idempotent(request, upload)
