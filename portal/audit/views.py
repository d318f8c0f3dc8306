"""The auditor's pages (issue 16): verify the audit chain, export the trail of a period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import staff
from portal.audit.export import audit_csv_lines
from portal.audit.forms import AuditExportForm
from portal.audit.models import AuditVerification
from portal.audit.record import audit_record
from portal.audit.verification import audit_verification_request, problem_label
from portal.client import client_ip


def _auditors_only(request: HttpRequest) -> None:
    if not staff.may_audit(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The latest runs of the chain check; a POST starts one (a Celery task)."""
    _auditors_only(request)
    if request.method == "POST":
        audit_verification_request(actor=request.user, ip_address=client_ip(request))
        messages.success(request, _("The check of the audit trail has started."))
        return redirect("audit:verify")
    runs = list(AuditVerification.objects.select_related("requested_by")[:10])
    latest = runs[0] if runs else None
    problems = [(p.get("event"), problem_label(p.get("kind", ""))) for p in latest.problems] if latest else []
    return render(
        request,
        "portal/audit/verify.html",
        {"latest": latest, "runs": runs, "problems": problems, "Status": AuditVerification.Status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """The trail of a period as CSV, streamed; each export is itself an audit event."""
    _auditors_only(request)
    # Bound on every POST, an empty one too: it gets the form's errors, not the blank form.
    form = AuditExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        start, end = form.period()
        audit_record(
            actor=request.user,
            action="audit.export",
            obj=request.user,
            reason=f"{start.isoformat()}..{end.isoformat()}",
            snapshot={"from": start.isoformat(), "to": end.isoformat()},
            ip_address=client_ip(request),
        )
        response = StreamingHttpResponse(audit_csv_lines(start, end), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-trail-{start}-{end}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "portal/audit/export.html", {"form": form}, status=400 if form.errors else 200)
