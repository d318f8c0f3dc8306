"""The "API tokens" page: a signed-in user lists, creates and revokes their own tokens.

Staff reach it only after the second factor (``portal.twofactor.StaffOTPRequiredMiddleware``),
which is what lets this page issue staff tokens (docs/security.md, "API tokens of staff");
the rules themselves are in ``portal.api.tokens``.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.api.models import ApiToken
from portal.api.tokens import TokenRefused, api_token_create, api_token_revoke, is_staff_token_user
from portal.forms import NamedErrorsMixin


class NewTokenForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, so you can tell your tokens apart."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)


def _second_factor_proved(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    staff = is_staff_token_user(request.user)
    if staff and not _second_factor_proved(request):
        # The middleware already sends such sessions to verify; this page issues staff
        # tokens, so it does not rely on that alone (a password must never yield a token).
        return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': request.get_full_path()})}")
    form = NewTokenForm(request.POST or None)
    new_token = ""  # nosec B105
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = api_token_create(
                user=request.user, scope=form.cleaned_data["scope"], name=form.cleaned_data["name"]
            )
        except TokenRefused as exc:
            form.add_error(None, exc.message)
        else:
            form = NewTokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at")
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": new_token,  # shown on this response only, never stored
        "staff": staff,
        "max_days": settings.API_STAFF_TOKEN_MAX_DAYS,
    }
    return render(request, "portal/api_tokens.html", context)


@never_cache
@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token, actor=request.user, reason="revoked by its owner")
    messages.success(request, _("The token was revoked. It no longer works."))
    return redirect("api_tokens:list")


app_name = "api_tokens"
urlpatterns = [
    path("", token_list, name="list"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
