"""Staff home per role and the auditor's case search (issue 16). Thin: gate by role, read, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.staff.forms import CaseSearchForm
from applications.staff.selectors import case_search as case_search_for
from applications.staff.selectors import staff_home
from portal import privacy, staff
from portal.audit.record import audit_record
from portal.client import client_ip


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The page a staff member starts from: their own work, by role. Not staff: 404."""
    if not staff.is_staff_member(request.user):
        raise Http404
    return render(request, "applications/staff/home.html", staff_home(request.user))


@login_required
@require_GET
def case_search(request: HttpRequest) -> HttpResponse:
    """The auditor's case search: any case by reference or name, identifiers masked; audited."""
    if not staff.may_audit(request.user):
        raise Http404
    form = CaseSearchForm(request.GET or None)
    results: list = []
    searched = form.is_bound and form.is_valid()
    if searched:
        query = form.cleaned_data["q"]
        results = case_search_for(query)
        # A search lists people's names: who looked for whom is part of the trail.
        audit_record(
            actor=request.user,
            action="case.search",
            obj=request.user,
            reason=query,
            snapshot={"results": len(results)},
            ip_address=client_ip(request),
        )
        for case in results:
            case.passport_shown = privacy.passport_for(request.user, case.passport_number, owner_id=case.owner_id)
    return render(
        request,
        "applications/staff/case_search.html",
        {"form": form, "results": results, "searched": searched},
        status=400 if form.errors else 200,
    )
