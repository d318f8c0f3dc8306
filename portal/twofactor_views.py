"""Pages of the staff second factor: enrol an authenticator, verify, recovery codes."""

import base64
import logging
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from portal import twofactor
from portal.forms import NamedErrorsMixin
from portal.security_log import security_event


class TokenForm(NamedErrorsMixin, forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Security code"),
        max_length=16,
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("portal:dashboard")


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _verify_first(request: HttpRequest, what: str) -> HttpResponse:
    """Refuse a change to the second factor from a session that has not proved it."""
    security_event(
        "second_factor_change_refused", request=request, level=logging.WARNING, user_id=request.user.pk, what=what
    )
    messages.info(request, _("Enter a code from your authenticator app first."))
    return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': request.get_full_path()})}")


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, type one code to confirm it.

    With an authenticator already confirmed, only a session that proved it may enrol a new
    one (which then replaces it); a password-only session is sent to verify first.
    """
    if not twofactor.may_change_second_factor(request.user):
        return _verify_first(request, "enrolment")
    device = twofactor.totp_device_for_enrolment(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["otp_token"].split())):
            codes = twofactor.totp_enrolment_confirm(request=request, device=device)
            request.session[twofactor.SESSION_NEW_RECOVERY_CODES] = codes
            security_event("otp_enrolled", request=request, user_id=request.user.pk)
            return redirect(f"{reverse('twofactor:recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("otp_token", _("The code is not right. Check the time on your phone and try the newest code."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        # Our own SVG from qrcode, no user data in it but the account name: safe to inline
        # (bandit B308/B703 reviewed in docs/security.md).
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  # nosec
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
    }
    return render(request, "portal/security/otp_setup.html", context)


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of a staff sign-in: a code from the authenticator, or a recovery code."""
    if not twofactor.has_confirmed_totp(request.user):
        return redirect(f"{reverse('twofactor:setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.token_verify(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            django_otp.login(request, device)
            method = "recovery_code" if device.name == twofactor.RECOVERY_DEVICE_NAME else "totp"
            security_event("otp_verified", request=request, user_id=request.user.pk, method=method)
            if method == "recovery_code":
                messages.warning(request, _("You used a recovery code. Each code works only once."))
            return redirect(_next_url(request))
        security_event("otp_failed", request=request, user_id=request.user.pk)
        form.add_error("otp_token", _("The code is not right. Try the newest code from your authenticator app."))
    return render(request, "portal/security/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show freshly issued recovery codes once; a verified user may issue new ones."""
    if request.method == "POST":
        if not request.user.is_verified():
            return _verify_first(request, "recovery_codes")
        request.session[twofactor.SESSION_NEW_RECOVERY_CODES] = twofactor.recovery_codes_issue(request=request)
        security_event("recovery_codes_issued", request=request, user_id=request.user.pk)
        return redirect("twofactor:recovery_codes")
    codes = request.session.pop(twofactor.SESSION_NEW_RECOVERY_CODES, None)
    return render(request, "portal/security/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


app_name = "twofactor"
urlpatterns = [
    path("setup/", setup, name="setup"),
    path("verify/", verify, name="verify"),
    path("recovery-codes/", recovery_codes, name="recovery_codes"),
]
