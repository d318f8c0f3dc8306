"""The criteria administrator's pages: proposals of the scarce-professions rating, each
against the rating in force, row edits with reasons, and four-eyes publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from eligibility.labour_market import services
from eligibility.labour_market.access import may_review_proposals, proposal_for
from eligibility.labour_market.display import priority_display, row_reasons
from eligibility.labour_market.forms import ProposalCreateForm, ReturnForm, RowEditForm
from eligibility.labour_market.models import ProposalRow, RatingProposal
from eligibility.labour_market.selectors import proposal_changes, proposal_editors, rating_in_force
from eligibility.models import Region
from eligibility.occupations import occupation_title
from portal import confirmation

ERRORS = {
    "no_data": gettext_lazy("This import has no rows."),
    "reason_required": gettext_lazy("Enter a reason for the change."),
    "invalid": gettext_lazy("Choose a priority and a sector from the lists."),
    "not_draft": gettext_lazy("Only a draft can be changed. Send it back to draft first."),
    "regional_row": gettext_lazy("Regional rows show the model's view; only national rows are published."),
    "not_allowed": gettext_lazy("This step is not possible at this stage of the proposal."),
    "four_eyes": gettext_lazy("A second administrator must approve: you ran, changed or submitted this proposal."),
}
CHANGE_LABELS = {
    "added": gettext_lazy("Added"),
    "removed": gettext_lazy("Removed"),
    "moved": gettext_lazy("Moved"),
    "unchanged": gettext_lazy("Unchanged"),
}
REGIONAL_ROWS_SHOWN = 40


def _error(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["not_allowed"]))


@login_required
@require_http_methods(["GET", "POST"])
def proposals(request: HttpRequest) -> HttpResponse:
    """The list of proposals and the form that runs the model for a new one."""
    if not may_review_proposals(request.user):
        raise Http404
    form = ProposalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(**form.cleaned_data, actor=request.user)
        except services.ProposalError as exc:
            form.add_error(None, _error(exc.code))
        else:
            messages.success(request, _("The model's proposal is ready for review."))
            return redirect("labour_market:proposal", pk=proposal.pk)
    return render(
        request,
        "labour_market/proposals.html",
        {
            "form": form,
            "has_data": form.fields["data_import"].queryset.exists(),  # type: ignore[attr-defined]
            "proposals": RatingProposal.objects.select_related("data_import", "shortage_model", "proposed_by")[:50],
        },
    )


def _line(change, proposal: RatingProposal) -> dict:
    row = change.row
    return {
        "kind": change.kind,
        "kind_label": CHANGE_LABELS[change.kind],
        "code": change.occupation,
        "title": occupation_title(change.occupation),
        "current": priority_display(change.current),
        "proposed": priority_display(change.proposed),
        "model": priority_display(row.model_priority) if row else "",
        "edited": bool(row and row.edited_by_id),
        "sector": row.get_sector_display() if row else "",
        "reasons": row_reasons(row, long_open_days=proposal.data_import.long_open_days) if row else [],
        "row": row,
    }


@login_required
@require_http_methods(["GET"])
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal against the rating in force: added, moved, removed (and, on request, the
    unchanged rows), each with how it was reached; one region's model view on request."""
    item = proposal_for(request.user, pk)
    show_all = request.GET.get("all") == "1"
    changes = proposal_changes(item, include_unchanged=show_all)
    lines = [_line(c, item) for c in changes]
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in CHANGE_LABELS}
    rating_year, _current = rating_in_force(item.year)
    regions = list(Region.objects.order_by("code"))
    region = next((r for r in regions if r.code == request.GET.get("region")), None)
    regional = []
    if region is not None:
        rows = ProposalRow.objects.filter(proposal=item, region=region).exclude(score=None).order_by("-score")
        for row in rows[:REGIONAL_ROWS_SHOWN]:
            regional.append(
                {
                    "code": row.occupation_id,
                    "title": occupation_title(row.occupation_id),
                    "priority": priority_display(row.model_priority),
                    "reasons": row_reasons(row, long_open_days=item.data_import.long_open_days),
                }
            )
    editors = proposal_editors(item)
    return render(
        request,
        "labour_market/proposal.html",
        {
            "proposal": item,
            "lines": lines,
            "counts": {CHANGE_LABELS[k]: v for k, v in counts.items() if k != "unchanged" or show_all},
            "show_all": show_all,
            "rating_year": rating_year,
            "regions": regions,
            "region": region,
            "regional": regional,
            "is_draft": item.status == RatingProposal.Status.DRAFT,
            "is_submitted": item.status == RatingProposal.Status.SUBMITTED,
            "may_approve": item.status == RatingProposal.Status.SUBMITTED and request.user.pk not in editors,
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    """Change one national row's priority or sector, with a reason."""
    item = proposal_for(request.user, pk)
    row = get_object_or_404(ProposalRow, pk=row_pk, proposal=item, region__isnull=True)
    initial = {"priority": str(row.priority or ""), "sector": row.sector}
    form = RowEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_row_edit(
                row=row,
                priority=int(data["priority"]) if data["priority"] else None,
                sector=data["sector"],
                reason=data["reason"],
                actor=request.user,
            )
        except services.ProposalError as exc:
            form.add_error(None, _error(exc.code))
        else:
            messages.success(request, _("The row has been changed."))
            return redirect("labour_market:proposal", pk=item.pk)
    return render(
        request,
        "labour_market/row_edit.html",
        {
            "proposal": item,
            "row": row,
            "title": occupation_title(row.occupation_id),
            "model_priority": priority_display(row.model_priority),
            "reasons": row_reasons(row, long_open_days=item.data_import.long_open_days),
            "form": form,
        },
    )


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit for approval, send back to draft, or approve and publish (with an "are you
    sure" step naming what changes)."""
    item = proposal_for(request.user, pk)
    if action not in ("submit", "return", "approve"):
        raise Http404
    subject = f"{item.pk}:{item.status}"
    if action == "approve" and not confirmation.is_confirmed(
        request.POST, user=request.user, purpose="rating_proposal.approve", subject=subject
    ):
        changes = proposal_changes(item)
        return render(
            request,
            "labour_market/approve_confirm.html",
            {
                "proposal": item,
                "counts": {
                    CHANGE_LABELS[k]: sum(1 for c in changes if c.kind == k) for k in ("added", "moved", "removed")
                },
                "rated": item.rows.filter(region__isnull=True, priority__isnull=False).count(),
                "token": confirmation.confirmation_token(
                    user=request.user, purpose="rating_proposal.approve", subject=subject
                ),
                "token_field": confirmation.FIELD,
            },
        )
    try:
        if action == "submit":
            services.proposal_submit(proposal=item, actor=request.user)
            messages.success(request, _("Sent to a second administrator for approval."))
        elif action == "return":
            form = ReturnForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.proposal_return(proposal=item, actor=request.user, reason=reason)
            messages.success(request, _("The proposal is a draft again."))
        else:
            services.proposal_approve(proposal=item, actor=request.user)
            messages.success(
                request, _("Published: the rating for %(year)s is now the reviewed proposal.") % {"year": item.year}
            )
    except services.ProposalError as exc:
        messages.error(request, _error(exc.code))
    return redirect("labour_market:proposal", pk=item.pk)
