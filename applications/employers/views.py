"""Employer pages: sign-up, the organisation, verification, job offers and employees; the holder's
new employer and the caseworkers' overdue grace periods."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.employers import services
from applications.employers.access import (
    employer_for_verifier,
    employers_to_verify,
    employment_for_employer,
    grace_overdue_for,
    holder_card,
    offer_for_employer,
    own_employer,
    own_employments,
    own_offers,
)
from applications.employers.forms import (
    EmployerDecisionForm,
    EmployerSignUpForm,
    EmploymentChangeForm,
    EmploymentEndForm,
    EmploymentStartForm,
    NewEmployerForm,
    OfferDecisionForm,
)
from applications.employers.models import Employer, Employment, JobOffer
from applications.employers.selectors import in_grace
from applications.employers.transitions import EmployerTransitionRefused
from applications.models import IssuedCard
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


# --- job offers and employees (issue 19) ------------------------------------------------

OFFER_PURPOSE = "employer.offer"
END_PURPOSE = "employer.employment_end"


@never_cache
@verified_required
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    """The employer's job offers, those waiting for an answer first."""
    waiting_first = Case(
        When(state=JobOffer.State.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    offers = own_offers(request.user).order_by(waiting_first, "-requested_at", "-pk")[:200]
    return render(request, "employers/offer_list.html", {"offers": offers})


def _offer_page(
    request: HttpRequest,
    offer: JobOffer,
    form: OfferDecisionForm,
    *,
    start_form: EmploymentStartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    card = IssuedCard.objects.filter(application_id=offer.application_id, status=IssuedCard.Status.ACTIVE).first()
    context = {
        "offer": offer,
        "form": form,
        "may_answer": offer.state == JobOffer.State.REQUESTED,
        "may_start": offer.state == JobOffer.State.CONFIRMED and card is not None and not _has_employment(offer),
        "employment": Employment.objects.filter(offer=offer).first(),
        "start_form": start_form or EmploymentStartForm(auto_id="start_%s"),
        # The error summary names the form that failed.
        "error_form": start_form if start_form is not None else form,
    }
    return render(request, "employers/offer.html", context, status=status)


def _has_employment(offer: JobOffer) -> bool:
    return Employment.objects.filter(offer=offer).exists()


def _offer_initial(offer: JobOffer) -> dict:
    return {
        "position": offer.position,
        "isco_code": offer.isco_code,
        "monthly_salary_kzt": offer.monthly_salary_kzt,
        "regions": [r.pk for r in offer.regions.all()],
        "start_date": offer.start_date,
    }


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """One job offer: the applicant's details, and the employer's answer with the "are you sure" step."""
    job_offer = offer_for_employer(request.user, pk)
    employer = job_offer.employer
    if request.method == "GET":
        return _offer_page(request, job_offer, OfferDecisionForm(initial=_offer_initial(job_offer), employer=employer))
    form = OfferDecisionForm(request.POST, employer=employer)
    if job_offer.state != JobOffer.State.REQUESTED:
        form.is_valid()
        form.add_error(None, _("This offer has already been answered."))
        return _offer_page(request, job_offer, form, status=409)
    if not form.is_valid():
        return _offer_page(request, job_offer, form, status=400)
    data = form.cleaned_data
    confirm = data["decision"] == "confirm"
    # The subject names the decision and the details, so a token cannot confirm other terms.
    regions = sorted(r.pk for r in data["regions"]) if confirm else []
    subject = ":".join(
        str(v)
        for v in (
            job_offer.pk,
            data["decision"],
            data["position"],
            data["isco_code"],
            data["monthly_salary_kzt"],
            data["start_date"],
            ",".join(regions),
        )
    )
    if not confirmation.is_confirmed(request.POST, user=request.user, purpose=OFFER_PURPOSE, subject=subject):
        token = confirmation.confirmation_token(user=request.user, purpose=OFFER_PURPOSE, subject=subject)
        context = {
            "offer": job_offer,
            "confirm": confirm,
            "data": data,
            "regions": list(data["regions"]) if confirm else [],
            "post": request.POST,
            "token": token,
            "token_field": confirmation.FIELD,
        }
        return render(request, "employers/offer_confirm.html", context)
    try:
        if confirm:
            services.offer_confirm(
                offer=job_offer,
                actor=request.user,
                position=data["position"].strip(),
                isco_code=data["isco_code"],
                monthly_salary_kzt=data["monthly_salary_kzt"],
                regions=data["regions"],
                start_date=data["start_date"],
                ip_address=client_ip(request),
            )
        else:
            services.offer_decline(
                offer=job_offer, actor=request.user, reason=data["reason"].strip(), ip_address=client_ip(request)
            )
    except EmployerTransitionRefused:
        form.add_error(None, _("This offer has already been answered."))
        return _offer_page(request, offer_for_employer(request.user, pk), form, status=409)
    messages.success(request, _("The offer is confirmed.") if confirm else _("The offer is declined."))
    return redirect("employers:offer", pk=job_offer.pk)


@never_cache
@verified_required
@require_POST
def offer_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer reports the start of work on a confirmed offer (after the card is issued)."""
    job_offer = offer_for_employer(request.user, pk)
    form = EmploymentStartForm(request.POST, auto_id="start_%s")
    if not form.is_valid():
        decision = OfferDecisionForm(initial=_offer_initial(job_offer), employer=job_offer.employer)
        return _offer_page(request, job_offer, decision, start_form=form, status=400)
    try:
        employment = services.employment_start(
            offer=job_offer,
            actor=request.user,
            started_on=form.cleaned_data["started_on"],
            ip_address=client_ip(request),
        )
    except EmployerTransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect("employers:offer", pk=job_offer.pk)
    messages.success(request, _("The start of work is reported."))
    return redirect("employers:employee", pk=employment.pk)


@never_cache
@verified_required
@require_GET
def employee_list(request: HttpRequest) -> HttpResponse:
    """The employer's employees: working first, then those whose employment ended."""
    employments = own_employments(request.user).order_by("state", "-started_on", "-pk")[:200]
    return render(request, "employers/employee_list.html", {"employments": employments})


def _employee_page(
    request: HttpRequest,
    employment: Employment,
    *,
    change_form: EmploymentChangeForm | None = None,
    end_form: EmploymentEndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    employer = employment.employer
    initial = {
        "position": employment.position,
        "monthly_salary_kzt": employment.monthly_salary_kzt,
        "regions": [r.pk for r in employment.regions.all()],
    }
    context = {
        "employment": employment,
        "change_form": change_form or EmploymentChangeForm(initial=initial, employer=employer, auto_id="change_%s"),
        "end_form": end_form or EmploymentEndForm(auto_id="end_%s"),
        "is_active": employment.state == Employment.State.ACTIVE,
        "form": change_form if change_form is not None and change_form.errors else end_form,
    }
    return render(request, "employers/employee.html", context, status=status)


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def employee(request: HttpRequest, pk: int) -> HttpResponse:
    """One employee: the current terms, and the reports of a change or of the end of employment."""
    employment = employment_for_employer(request.user, pk)
    if request.method == "GET":
        return _employee_page(request, employment)
    report = request.POST.get("report")
    ip = client_ip(request)
    if report == "change":
        form = EmploymentChangeForm(request.POST, employer=employment.employer, auto_id="change_%s")
        if not form.is_valid():
            return _employee_page(request, employment, change_form=form, status=400)
        try:
            services.employment_change(
                employment=employment,
                actor=request.user,
                position=form.cleaned_data["position"].strip(),
                monthly_salary_kzt=form.cleaned_data["monthly_salary_kzt"],
                regions=form.cleaned_data["regions"],
                ip_address=ip,
            )
        except EmployerTransitionRefused as exc:
            form.add_error(None, str(exc))
            return _employee_page(request, employment, change_form=form, status=409)
        messages.success(request, _("The change is reported."))
        return redirect("employers:employee", pk=employment.pk)
    if report == "end":
        end_form = EmploymentEndForm(request.POST, auto_id="end_%s")
        if not end_form.is_valid():
            return _employee_page(request, employment, end_form=end_form, status=400)
        ended_on = end_form.cleaned_data["ended_on"]
        reason = end_form.cleaned_data["end_reason"].strip()
        subject = f"{employment.pk}:{ended_on.isoformat()}"
        if not confirmation.is_confirmed(request.POST, user=request.user, purpose=END_PURPOSE, subject=subject):
            token = confirmation.confirmation_token(user=request.user, purpose=END_PURPOSE, subject=subject)
            context = {
                "employment": employment,
                "ended_on": ended_on,
                "end_reason": reason,
                "post": request.POST,
                "token": token,
                "token_field": confirmation.FIELD,
            }
            return render(request, "employers/employee_end_confirm.html", context)
        try:
            services.employment_end(
                employment=employment, actor=request.user, ended_on=ended_on, reason=reason, ip_address=ip
            )
        except EmployerTransitionRefused as exc:
            end_form.add_error(None, str(exc))
            return _employee_page(request, employment, end_form=end_form, status=409)
        messages.success(request, _("The end of employment is reported."))
        return redirect("employers:employee", pk=employment.pk)
    return _employee_page(request, employment, status=400)


@never_cache
@verified_required
@require_http_methods(["GET", "POST"])
def new_employer(request: HttpRequest, number: str) -> HttpResponse:
    """The holder names a new employer, who is asked to confirm the offer."""
    card = holder_card(request.user, number)
    form = NewEmployerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.new_employer_name(
                card=card,
                actor=request.user,
                bin=form.cleaned_data["bin"],
                position=form.cleaned_data["position"].strip(),
                ip_address=client_ip(request),
            )
        except EmployerTransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("We asked your new employer to confirm the job offer."))
            return redirect("cards:detail", number=card.number)
    context = {"card": card, "form": form, "ended": in_grace(card.pk)}
    return render(request, "employers/new_employer.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_GET
def grace_overdue_list(request: HttpRequest) -> HttpResponse:
    """Holders whose grace period after an ended employment is over with no new employer named."""
    employments = grace_overdue_for(request.user)[:200]
    return render(request, "employers/grace_overdue.html", {"employments": employments})
