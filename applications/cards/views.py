"""Card pages: the holder's account, staff revocation, public verification. Thin: forms + one service."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing as django_signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from PIL import Image, UnidentifiedImageError

from applications.access import application_for
from applications.cards import forms, numbers, pdf, selectors, services, signing
from applications.cards.access import card_for, may_revoke
from applications.cards.ratelimit import card_check_refusal
from applications.employers.access import refuse_employers
from applications.models import Application, CardShareCode, IssuedCard
from applications.states import DECIDED_STATES
from applications.stay.selectors import timeline_for_card
from portal import confirmation, privacy
from portal.audit.record import audit_record
from portal.client import client_ip

PHOTO_TOKEN_SALT = "cards.verify.photo"  # noqa: S105 - a namespace, not a secret  # nosec B105
PHOTO_TOKEN_MAX_AGE = 15 * 60


def _is_holder(request: HttpRequest, card: IssuedCard) -> bool:
    return card.holder_id == request.user.pk


def _holder_card(request: HttpRequest, number: str) -> IssuedCard:
    """Holder-only pages: staff who may see the card still get 404 on the holder's actions."""
    card = card_for(request.user, number, request=request)
    if not _is_holder(request, card):
        raise Http404
    return card


def _audit_staff_read(request: HttpRequest, card: IssuedCard, action: str) -> None:
    """A staff member reading a card (page, photo, PDF) leaves a trace; the holder does not."""
    if not _is_holder(request, card):
        audit_record(
            actor=request.user, action=action, obj=card, application=card.application, ip_address=client_ip(request)
        )


def _image_response(data: bytes) -> HttpResponse:
    try:
        kind = (Image.open(io.BytesIO(data)).format or "jpeg").lower()
    except (UnidentifiedImageError, OSError):
        raise Http404 from None
    response = HttpResponse(data, content_type=f"image/{kind}")
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- holder ----------------------------------------------------------------------------


@login_required
@refuse_employers
def card_list(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/cards/list.html", {"cards": selectors.cards_of(request.user)})


@login_required
def card_detail(request: HttpRequest, number: str) -> HttpResponse:
    card = card_for(request.user, number, request=request)
    is_holder = _is_holder(request, card)
    _audit_staff_read(request, card, "card.view")
    context = {
        "card": card,
        "is_holder": is_holder,
        "printed_number": numbers.format_for_print(card.number),
        # Masked for the roles docs/privacy.md names; the photo and PDF are not offered to them.
        "birth_date": privacy.birth_date_for(request.user, card.date_of_birth, owner_id=card.holder_id),
        "sees_in_full": privacy.sees_identifiers(request.user, card.holder_id),
        "regions": list(card.permitted_regions.all()),
        "can_revoke": may_revoke(request.user, card) and card.status != card.Status.REVOKED,
        "addresses": card.addresses.select_related("region")[:20],
        "employers": card.employers.all()[:20],
        # The stay in numbers and progress toward citizenship (the same timeline as the case page).
        "timeline": timeline_for_card(card),
    }
    if is_holder:
        context.update(
            share_form=forms.ShareCodeForm(),
            share_codes=[(s, services.format_code(s.code)) for s in card.share_codes.all()[:20]],
            checks=card.checks.select_related("share_code")[:50],
        )
    return render(request, "applications/cards/detail.html", context)


@login_required
def card_photo(request: HttpRequest, number: str) -> HttpResponse:
    card = card_for(request.user, number, full=True, request=request)
    data = selectors.photo_bytes(card)
    if not data:
        raise Http404
    _audit_staff_read(request, card, "card.photo_view")
    return _image_response(data)


@login_required
def card_pdf(request: HttpRequest, number: str) -> HttpResponse:
    card = card_for(request.user, number, full=True, request=request)
    _audit_staff_read(request, card, "card.pdf_view")
    return _pdf_response(pdf.card_pdf(card), f"{card.number}.pdf")


@login_required
def decision_letter(request: HttpRequest, reference: str) -> HttpResponse:
    """The decision letter of a decided case, by its reference (not its sequential id).

    The case's gate; its QR code carries the card's date of birth, so staff need a role that
    sees identifiers (not auditors). Staff reads are audited.
    """
    pk = Application.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    application = application_for(request.user, pk, request=request)
    if application.state not in DECIDED_STATES or not privacy.sees_identifiers(request.user, application.owner_id):
        raise Http404
    if application.owner_id != request.user.pk:
        audit_record(actor=request.user, action="decision_letter.view", obj=application, ip_address=client_ip(request))
    return _pdf_response(
        pdf.decision_letter_pdf(application), f"decision-{application.reference or application.pk}.pdf"
    )


@login_required
@require_POST
def share_code_create(request: HttpRequest, number: str) -> HttpResponse:
    card = _holder_card(request, number)
    form = forms.ShareCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who the code is for."))
        return redirect("cards:detail", number=card.number)
    try:
        share = services.share_code_create(card=card, purpose=form.cleaned_data["purpose"], actor=request.user)
    except services.CardActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Your share code is %(code)s. It works until %(date)s.")
            % {"code": services.format_code(share.code), "date": timezone.localtime(share.expires_at).date()},
        )
    return redirect("cards:detail", number=card.number)


@login_required
@require_POST
def share_code_withdraw(request: HttpRequest, number: str, code_pk: int) -> HttpResponse:
    card = _holder_card(request, number)
    share = get_object_or_404(CardShareCode, pk=code_pk, card=card)
    services.share_code_withdraw(share=share, actor=request.user)
    messages.success(request, _("The share code no longer works."))
    return redirect("cards:detail", number=card.number)


@login_required
@require_http_methods(["GET", "POST"])
def address_change(request: HttpRequest, number: str) -> HttpResponse:
    card = _holder_card(request, number)
    form = forms.AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_register(card=card, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your address has been registered."))
            return redirect("cards:detail", number=card.number)
    return render(request, "applications/cards/address.html", {"card": card, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def employer_change(request: HttpRequest, number: str) -> HttpResponse:
    card = _holder_card(request, number)
    form = forms.EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_register(card=card, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your employer has been recorded."))
            return redirect("cards:detail", number=card.number)
    return render(request, "applications/cards/employer.html", {"card": card, "form": form})


@login_required
@require_POST
def card_renew(request: HttpRequest, number: str) -> HttpResponse:
    card = _holder_card(request, number)
    try:
        renewal = services.card_renewal_start(card=card, actor=request.user)
    except services.CardActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("cards:detail", number=card.number)
    messages.success(
        request,
        _("A renewal application (draft #%(id)s) has been started from your previous answers. Check and submit it.")
        % {"id": renewal.pk},
    )
    return redirect("portal:dashboard")


# --- staff -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def card_revoke(request: HttpRequest, number: str) -> HttpResponse:
    card = card_for(request.user, number, write=True, request=request)
    form = forms.RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The "are you sure" step: a POST without this user's token for this card shows it.
        if not confirmation.is_confirmed(request.POST, user=request.user, purpose="card.revoke", subject=card.number):
            token = confirmation.confirmation_token(user=request.user, purpose="card.revoke", subject=card.number)
            return render(
                request,
                "applications/cards/revoke_confirm.html",
                {
                    "card": card,
                    "reason": form.cleaned_data["reason"],
                    "token": token,
                    "token_field": confirmation.FIELD,
                },
            )
        try:
            services.card_revoke(
                card=card, actor=request.user, reason=form.cleaned_data["reason"], ip_address=client_ip(request)
            )
        except services.CardActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The card has been revoked."))
            return redirect("cards:detail", number=card.number)
    return render(request, "applications/cards/revoke.html", {"card": card, "form": form})


# --- public verification ---------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST":
        if refusal := card_check_refusal(request):
            return render(request, "applications/cards/rate_limited.html", {"refusal": refusal}, status=refusal.status)
        if form.is_valid():
            result = services.card_check(
                number=form.cleaned_data["number"],
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
                checker=form.cleaned_data["checker"],
            )
            photo_token = ""  # nosec B105
            if result.found and selectors.photo_bytes(result.card):
                photo_token = django_signing.dumps({"c": result.card.pk, "k": result.check_id}, salt=PHOTO_TOKEN_SALT)
            return render(
                request,
                "applications/cards/verify_result.html",
                {
                    "result": result,
                    "printed_number": numbers.format_for_print(result.card.number) if result.found else "",
                    "photo_token": photo_token,
                },
            )
    return render(request, "applications/cards/verify.html", {"form": form})


@never_cache
def verify_photo(request: HttpRequest, token: str) -> HttpResponse:
    """The photo of a card just checked with a valid share code (a signed, 15-minute link)."""
    try:
        data = django_signing.loads(token, salt=PHOTO_TOKEN_SALT, max_age=PHOTO_TOKEN_MAX_AGE)
    except django_signing.BadSignature:
        raise Http404 from None
    card = get_object_or_404(IssuedCard, pk=data.get("c"))
    photo = selectors.photo_bytes(card)
    if not photo:
        raise Http404
    return _image_response(photo)


@never_cache
@require_http_methods(["GET", "POST"])
def verify_scan(request: HttpRequest) -> HttpResponse:
    """Check a scanned QR payload: the signature (as offline), plus the card's current status."""
    form = forms.ScanForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST":
        if refusal := card_check_refusal(request):
            return render(request, "applications/cards/rate_limited.html", {"refusal": refusal}, status=refusal.status)
        if form.is_valid():
            try:
                claims = signing.payload_verify(form.cleaned_data["payload"], signing.trusted_public_keys())
            except signing.PayloadInvalid:
                context["genuine"] = False
            else:
                card = IssuedCard.objects.filter(number=claims.number).first()
                context.update(
                    genuine=True,
                    claims=claims,
                    printed_number=numbers.format_for_print(claims.number),
                    within_validity=claims.is_within_validity(timezone.localdate()),
                    status=card.current_status if card else "",
                    status_label=card.get_current_status_display() if card else "",
                )
            context["checked"] = True
    return render(request, "applications/cards/scan.html", context)
