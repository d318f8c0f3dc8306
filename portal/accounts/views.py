"""Account pages. Sign-in, sign-out, password change and reset are Django's auth views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal import roles
from portal.accounts.decorators import session_touch
from portal.accounts.forms import LocalisedPasswordResetForm, SignInForm, SignUpForm
from portal.accounts.services import (
    VerificationFailed,
    email_verification_send,
    email_verify,
    is_verified,
    user_sign_up,
)


def home_url(user) -> str:
    """Where a signed-in person lands: an employer on its organisation, others on their applications."""
    return reverse("employers:organisation" if roles.has_role(user, roles.EMPLOYER) else "applications:list")


def _posted(request: HttpRequest) -> tuple:
    """Form arguments: the POST (even empty, so an empty submission shows errors) or nothing."""
    return (request.POST,) if request.method == "POST" else (None,)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"

    def get_default_redirect_url(self) -> str:
        # Applicants land on their applications, employers on their organisation; staff on
        # the portal's account page.
        if self.request.user.is_authenticated and not self.request.user.is_staff:
            return home_url(self.request.user)
        return super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        if not self.request.user.is_staff:
            # Applicants' sessions end after inactivity (staff keep SESSION_COOKIE_AGE).
            session_touch(self.request, force=True)
        if not is_verified(self.request.user):
            return redirect("accounts:verify_pending")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalisedPasswordResetForm
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset.subject.txt"


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("applications:list")
    form = SignUpForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            preferred_language=form.cleaned_data["preferred_language"],
            request=request,
        )
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


@never_cache
@require_http_methods(["GET"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = email_verify(token=token)
    except VerificationFailed as failure:
        return render(request, "accounts/verify_failed.html", {"expired": failure.expired}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, _("Your e-mail address is confirmed."))
        return redirect(home_url(user))
    return render(request, "accounts/verified.html", {})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify_pending(request: HttpRequest) -> HttpResponse:
    """What an unverified user may see: a reminder and a button to send the link again."""
    if is_verified(request.user):
        return redirect(home_url(request.user))
    sent = False
    if request.method == "POST":
        email_verification_send(user=request.user, request=request)
        sent = True
    return render(request, "accounts/verify_pending.html", {"sent": sent})


@never_cache
@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": restart the inactivity clock and say when the session now ends."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    session_touch(request, force=True)
    seconds = settings.APPLICANT_SESSION_IDLE_SECONDS
    return JsonResponse({"signed_in": True, "expires_in": seconds, "now": timezone.now().isoformat()})
