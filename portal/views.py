from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from portal.health import health_report
from portal.inputs import InputRefused


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page; an ``InputRefused`` the portal raised says what was wrong (its message is
    written for the user and translated). Every other refusal stays generic: a bad host or a
    tampered cookie (the request may be unsafe to render with), and any ``BadRequest`` from
    Django or a library, whose text is for developers (a form's encoding, the admin's rules)."""
    if not isinstance(exception, InputRefused):
        return defaults.bad_request(request, exception)
    return render(request, "400.html", {"message": str(exception)}, status=400)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


@require_GET
def start_choice(request: HttpRequest) -> HttpResponse:
    """ "Start now": new here (create an account) or back (sign in); signed in, the account."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    return render(request, "portal/start_choice.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def change_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus remembering the choice on the signed-in user's profile."""
    response = set_language(request)
    lang = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and lang in dict(settings.LANGUAGES):
        request.user.preferred_language = lang
        request.user.save(update_fields=["preferred_language"])
    return response
