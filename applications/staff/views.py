"""Staff home per role (issue 16). Thin: gate by role, read, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications.staff.selectors import staff_home
from portal import staff


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The page a staff member starts from: their own work, by role. Not staff: 404."""
    if not staff.is_staff_member(request.user):
        raise Http404
    return render(request, "applications/staff/home.html", staff_home(request.user))
