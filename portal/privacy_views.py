"""The applicant's data page: download everything, erase a draft or withdrawn application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications.access import application_for
from applications.models import Application
from applications.privacy import (
    ErasureRefused,
    applicant_data_export,
    application_erase,
    export_filename,
)
from applications.states import ERASABLE_STATES
from portal.client import client_ip
from portal.security_log import security_event


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    erasable = Application.objects.filter(owner=request.user, state__in=ERASABLE_STATES).order_by("-created_at")
    return render(request, "portal/privacy/my_data.html", {"erasable": erasable})


@never_cache
@login_required
@require_POST
def my_data_download(request: HttpRequest) -> FileResponse:
    security_event("data_export", request=request, user_id=request.user.pk)
    return FileResponse(applicant_data_export(request.user), as_attachment=True, filename=export_filename(request.user))


@never_cache
@login_required
def application_erase_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    # Owners only: application_for(write=False) would also let staff see it.
    application = application_for(request.user, pk, request=request)
    if application.owner_id != request.user.pk or application.state not in ERASABLE_STATES:
        raise Http404
    if request.method == "POST":
        try:
            application_erase(
                application=application,
                actor=request.user,
                reason="applicant request",
                ip_address=client_ip(request),
            )
        except ErasureRefused:
            raise Http404 from None
        messages.success(request, _("The application and its documents were erased."))
        return redirect("privacy:my_data")
    return render(request, "portal/privacy/erase_confirm.html", {"application": application})


app_name = "privacy"
urlpatterns = [
    path("", my_data, name="my_data"),
    path("download/", my_data_download, name="download"),
    path("erase/<int:pk>/", application_erase_confirm, name="erase"),
]
