"""The holder's stay pages: the timeline (holder and the staff who may see the card) and a declaration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.cards.access import card_for
from applications.stay import forms, selectors, services
from portal.audit.record import audit_record
from portal.client import client_ip


@login_required
def stay_timeline(request: HttpRequest, number: str) -> HttpResponse:
    """Days in Kazakhstan, absences and progress toward citizenship (the card's gate decides who)."""
    card = card_for(request.user, number, request=request)
    is_holder = card.holder_id == request.user.pk
    if not is_holder:
        # A staff member reading where a person travelled leaves a trace; the holder does not.
        audit_record(
            actor=request.user,
            action="stay.view",
            obj=card,
            application=card.application,
            ip_address=client_ip(request),
        )
    return render(
        request,
        "stay/timeline.html",
        {
            "card": card,
            "is_holder": is_holder,
            "timeline": selectors.timeline_for_card(card),
            "records": selectors.records_of(card),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence_declare(request: HttpRequest, number: str) -> HttpResponse:
    """The holder declares an absence (staff who may see the card still get 404 here)."""
    card = card_for(request.user, number, request=request)
    if card.holder_id != request.user.pk:
        raise Http404
    form = forms.AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_declare(card=card, actor=request.user, **form.cleaned_data)
        except services.StayRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your absence has been recorded."))
            return redirect("stay:timeline", number=card.number)
    return render(request, "stay/declare.html", {"card": card, "form": form})
