"""Document pages and file downloads. Every file leaves storage through ``document_file``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from applications.access import application_for
from applications.models import Document
from portal.audit.record import audit_record
from portal.client import client_ip

from . import detect, names
from .access import VIEW_ORIGINAL, document_for, is_staff_view
from .forms import DocumentUploadForm
from .selectors import documents_for_application
from .services import UploadRefused, document_upload

# variant -> (model field, disposition, audit action)
VARIANTS = {
    "thumbnail": ("thumbnail", "inline", "document.view_thumbnail"),
    "view": ("sanitised_file", "inline", "document.view"),
    "download": ("sanitised_file", "attachment", "document.download"),
    "original": ("file", "attachment", "document.download_original"),
}


@require_GET
def document_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """Stream one stored file after the access gate; audit staff access."""
    if variant not in VARIANTS:
        raise Http404
    field_name, disposition, action = VARIANTS[variant]
    document = document_for(request.user, pk, original=variant == "original")
    if variant != "original" and document.status != Document.Status.READY:
        raise Http404
    stored = getattr(document, field_name)
    if not stored:
        raise Http404
    if is_staff_view(request.user, document):
        audit_record(
            actor=request.user,
            action=action,
            obj=document,
            application=document.application,
            ip_address=client_ip(request),
        )
    if variant == "original":
        # Never rendered by the browser on our origin: it has not been sanitised.
        content_type = "application/octet-stream"
        extension = detect.EXTENSION_FOR_TYPE.get(document.detected_type, "")
    elif variant == "thumbnail":
        content_type, extension = detect.JPEG, ".jpg"
    else:
        content_type = document.sanitised_type or "application/octet-stream"
        extension = detect.EXTENSION_FOR_TYPE.get(content_type, "")
    try:
        handle = stored.storage.open(stored.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    stem = names.short_stem(document.original_name, max_bytes=150)
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=disposition == "attachment",
        filename=f"{stem}{'-original' if variant == 'original' else ''}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if content_type == detect.JPEG:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document for a caseworker (or its owner): sanitised view, facts, downloads."""
    document = document_for(request.user, pk)
    if is_staff_view(request.user, document):
        audit_record(
            actor=request.user,
            action="document.view_details",
            obj=document,
            application=document.application,
            ip_address=client_ip(request),
        )
    return render(
        request,
        "applications/documents/detail.html",
        {"document": document, "can_view_original": request.user.has_perm(VIEW_ORIGINAL)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload_page(request: HttpRequest, application_pk: int) -> HttpResponse:
    """The applicant's upload page for one application: list, then one file per post."""
    application = application_for(request.user, application_pk, write=True)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            document_upload(
                application=application,
                kind=form.cleaned_data["kind"],
                uploaded=uploaded,
                actor=request.user,
                content_type=getattr(uploaded, "content_type", None),
            )
        except UploadRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            return redirect("documents:upload", application_pk=application.pk)
    return render(
        request,
        "applications/documents/upload.html",
        {
            "application": application,
            "form": form,
            "documents": documents_for_application(application),
            "can_view_original": False,
        },
        status=400 if form.errors else 200,
    )
