"""Employer pages: sign-up, the organisation page, and the criteria admin's verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from applications.employers import services
from applications.employers.access import employer_for_verifier, employers_to_verify, own_employer
from applications.employers.forms import EmployerDecisionForm, EmployerSignUpForm
from applications.employers.models import Employer
from portal import confirmation
from portal.accounts.decorators import verified_required
from portal.client import client_ip

CONFIRM_PURPOSE = "employer.decide"


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("employers:organisation")
    form = EmployerSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.employer_sign_up(
            email=data["email"],
            password=data["password1"],
            preferred_language=data["preferred_language"],
            legal_name=data["legal_name"].strip(),
            bin=data["bin"],
            regions=list(data["regions"]),
            request=request,
            ip_address=client_ip(request),
        )
        request.session["signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(request, "employers/signup.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@verified_required
@require_GET
def organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "employers/organisation.html", {"employer": own_employer(request.user)})


@never_cache
@login_required
@require_GET
def verification_list(request: HttpRequest) -> HttpResponse:
    pending_first = Case(
        When(status=Employer.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    employers = employers_to_verify(request.user).order_by(pending_first, "created_at", "pk")[:200]
    return render(request, "employers/verification_list.html", {"employers": employers})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest, pk: int) -> HttpResponse:
    employer = employer_for_verifier(request.user, pk)
    form = EmployerDecisionForm(request.POST if request.method == "POST" else None)
    decided = employer.status != Employer.Status.PENDING
    if request.method == "POST" and not decided and form.is_valid():
        verified = form.cleaned_data["decision"] == "verify"
        reason = form.cleaned_data["reason"].strip()
        # The subject names the decision, so a token for "verify" cannot refuse (or the reverse).
        subject = f"{employer.pk}:{form.cleaned_data['decision']}"
        if not confirmation.is_confirmed(request.POST, user=request.user, purpose=CONFIRM_PURPOSE, subject=subject):
            token = confirmation.confirmation_token(user=request.user, purpose=CONFIRM_PURPOSE, subject=subject)
            context = {
                "employer": employer,
                "verified": verified,
                "decision": form.cleaned_data["decision"],
                "reason": reason,
                "token": token,
                "token_field": confirmation.FIELD,
            }
            return render(request, "employers/verification_confirm.html", context)
        try:
            services.employer_decide(
                employer_id=employer.pk,
                actor=request.user,
                verified=verified,
                reason=reason,
                ip_address=client_ip(request),
            )
        except services.EmployerDecisionRefused:
            employer.refresh_from_db()
            form.add_error(None, _("This employer has already been decided."))
            return render(request, "employers/verification.html", {"employer": employer, "form": form}, status=409)
        messages.success(request, _("The employer is verified.") if verified else _("The employer is refused."))
        return redirect("employers:verification_list")
    if request.method == "POST" and decided:
        form.is_valid()  # bound and cleaned, so that the page can show the error summary
        form.add_error(None, _("This employer has already been decided."))
        return render(request, "employers/verification.html", {"employer": employer, "form": form}, status=409)
    status = 400 if form.errors else 200
    return render(request, "employers/verification.html", {"employer": employer, "form": form}, status=status)
