"""The account's phone number page: add a number, confirm it with a code, remove it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications.sms import selectors, services
from applications.sms.forms import NUMBER_ERRORS, CodeForm, PhoneForm
from applications.sms.phones import InvalidPhoneNumber, phone_display
from portal.client import client_ip

SEND_REFUSED = {
    "wait": _("Wait a minute before asking for another code"),
    "too_many": _("You asked for too many codes. Try again in an hour"),
    "unavailable": _("We cannot send a code at the moment. Try again later"),
    "send_failed": _("The text message could not be sent. Check the number or try again later"),
}
CODE_REFUSED = {
    "wrong": _("The code is not correct. Check the text message and try again"),
    "expired": _("The code has expired. Ask for a new code"),
    "too_many": _("Too many wrong codes. Ask for a new code"),
    "no_code": _("Ask for a code first"),
}


@never_cache
@login_required
def phone(request: HttpRequest) -> HttpResponse:
    row = selectors.phone_of(request.user)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_code_send(
                user=request.user, number_text=form.cleaned_data["number"], ip_address=client_ip(request)
            )
        except InvalidPhoneNumber:
            form.add_error("number", NUMBER_ERRORS["invalid"])
        except services.PhoneCodeRefused as refused:
            form.add_error("number", SEND_REFUSED[refused.reason])
        else:
            return redirect("sms:verify")
    context = {
        "form": form,
        "verified": phone_display(row.number) if row and row.is_verified else "",
        "pending": phone_display(row.pending_number) if row and row.pending_number else "",
    }
    return render(request, "applications/sms/phone.html", context)


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    row = selectors.phone_of(request.user)
    if row is None or not row.pending_number:
        return redirect("sms:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_code_confirm(
                user=request.user, code=form.cleaned_data["code"], ip_address=client_ip(request)
            )
        except services.PhoneCodeRefused as refused:
            form.add_error("code", CODE_REFUSED[refused.reason])
        else:
            messages.success(request, _("Your phone number is confirmed. We will also send you text messages."))
            return redirect("sms:phone")
    context = {
        "form": form,
        "pending": phone_display(row.pending_number),
        "code_minutes": max(settings.SMS_CODE_TTL_SECONDS // 60, 1),
    }
    return render(request, "applications/sms/verify.html", context)


@never_cache
@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    if services.phone_remove(user=request.user, ip_address=client_ip(request)):
        messages.success(request, _("Your phone number was removed. We will not send you text messages."))
    return redirect("sms:phone")
