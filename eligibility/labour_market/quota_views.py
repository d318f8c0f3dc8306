"""The criteria administrator's pages for quota proposals: make one, compare it with the quotas
in force, change a row's places with a reason, submit, and approve with a second administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from eligibility.labour_market import quota_services as services
from eligibility.labour_market.access import may_review_proposals, quota_proposal_for
from eligibility.labour_market.display import quota_row_reasons
from eligibility.labour_market.forms import QuotaProposalCreateForm, QuotaRowEditForm, ReturnForm
from eligibility.labour_market.models import LabourMarketImport, QuotaProposal, QuotaProposalRow
from eligibility.models import Region
from eligibility.models.quotas import scope_display
from eligibility.products import Sector
from portal import confirmation

ERRORS = {
    "no_data": gettext_lazy("This import has no rows."),
    "reason_required": gettext_lazy("Enter a reason for the change."),
    "invalid": gettext_lazy("Enter a whole number of places."),
    "not_draft": gettext_lazy("Only a draft can be changed. Send it back to draft first."),
    "not_allowed": gettext_lazy("This step is not possible at this stage of the proposal."),
    "four_eyes": gettext_lazy("A second administrator must approve: you made, changed or submitted this proposal."),
}
CHANGE_LABELS = {
    "added": gettext_lazy("Added"),
    "changed": gettext_lazy("Changed"),
    "removed": gettext_lazy("Removed"),
    "unchanged": gettext_lazy("Unchanged"),
}
CONFIRM_PURPOSE = "quota_proposal.approve"


def _error(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["not_allowed"]))


@login_required
@require_http_methods(["GET", "POST"])
def quota_proposals(request: HttpRequest) -> HttpResponse:
    """The list of quota proposals and the form that makes a new one."""
    if not may_review_proposals(request.user):
        raise Http404
    form = QuotaProposalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.quota_proposal_create(
                product=data["product"],
                year=data["year"],
                data_import=data["data_import"],
                settings={name: data[name] for name in services.SETTINGS_FIELDS},
                actor=request.user,
            )
        except services.QuotaProposalError as exc:
            form.add_error(None, _error(exc.code))
        else:
            messages.success(request, _("The quota proposal is ready for review."))
            return redirect("labour_market:quota_proposal", pk=proposal.pk)
    return render(
        request,
        "labour_market/quota_proposals.html",
        {
            "form": form,
            "has_data": LabourMarketImport.objects.exists(),
            "proposals": QuotaProposal.objects.select_related("data_import", "proposed_by")[:50],
        },
    )


def _lines(item: QuotaProposal, changes: list[services.QuotaChange], regions: dict[str, Region]) -> list[dict]:
    sectors = dict(Sector.choices)
    lines = []
    for change in changes:
        row = change.row
        lines.append(
            {
                "kind": change.kind,
                "kind_label": CHANGE_LABELS[change.kind],
                "scope": scope_display(
                    change.sector, sectors.get(change.sector, change.sector), regions[change.region]
                ),
                "current": change.current,
                "proposed": change.proposed,
                "model": row.model_places if row else None,
                "edited": bool(row and row.edited_by_id),
                "reasons": quota_row_reasons(
                    row,
                    long_open_days=item.data_import.long_open_days,
                    unrated_weight=float(item.unrated_weight),
                )
                if row
                else [],
                "row": row,
            }
        )
    return lines


@login_required
@require_http_methods(["GET"])
def quota_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal against the sector × region quotas in force: added, changed, removed (and
    on request unchanged), each row with how its places were reached. A fixed number of queries
    whatever the number of rows."""
    item = quota_proposal_for(request.user, pk)
    show_all = request.GET.get("all") == "1"
    rows = list(item.rows.all())
    in_force_year, in_force = services.quotas_in_force(item.product, item.year)
    changes = services.quota_proposal_changes(item, rows, in_force)
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in CHANGE_LABELS}
    if not show_all:
        changes = [c for c in changes if c.kind != "unchanged"]
    regions = {r.code: r for r in Region.objects.all()}
    editors = services.quota_proposal_editors(item)
    return render(
        request,
        "labour_market/quota_proposal.html",
        {
            "proposal": item,
            "lines": _lines(item, changes, regions),
            "counts": {CHANGE_LABELS[k]: v for k, v in counts.items()},
            "total": sum(r.places for r in rows),
            "show_all": show_all,
            "in_force_year": in_force_year,
            "is_draft": item.status == QuotaProposal.Status.DRAFT,
            "is_submitted": item.status == QuotaProposal.Status.SUBMITTED,
            "may_approve": item.status == QuotaProposal.Status.SUBMITTED and request.user.pk not in editors,
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quota_row_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    """Change one row's places, with a reason."""
    item = quota_proposal_for(request.user, pk)
    row = get_object_or_404(QuotaProposalRow.objects.select_related("region"), pk=row_pk, proposal=item)
    form = QuotaRowEditForm(request.POST or None, initial={"places": row.places})
    if request.method == "POST" and form.is_valid():
        try:
            services.quota_proposal_row_edit(
                row=row, places=form.cleaned_data["places"], reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.QuotaProposalError as exc:
            form.add_error(None, _error(exc.code))
        else:
            messages.success(request, _("The row has been changed."))
            return redirect("labour_market:quota_proposal", pk=item.pk)
    return render(
        request,
        "labour_market/quota_row_edit.html",
        {
            "proposal": item,
            "row": row,
            "scope": scope_display(row.sector, row.get_sector_display(), row.region),
            "reasons": quota_row_reasons(
                row, long_open_days=item.data_import.long_open_days, unrated_weight=float(item.unrated_weight)
            ),
            "form": form,
        },
    )


@login_required
@require_POST
def quota_proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, send back to draft, or approve (after an "are you sure" step with the counts)."""
    item = quota_proposal_for(request.user, pk)
    if action not in ("submit", "return", "approve"):
        raise Http404
    subject = f"{item.pk}:{item.status}"
    if action == "approve" and not confirmation.is_confirmed(
        request.POST, user=request.user, purpose=CONFIRM_PURPOSE, subject=subject
    ):
        rows = list(item.rows.all())
        _year, in_force = services.quotas_in_force(item.product, item.year)
        changes = services.quota_proposal_changes(item, rows, in_force)
        return render(
            request,
            "labour_market/quota_approve_confirm.html",
            {
                "proposal": item,
                "counts": {
                    CHANGE_LABELS[k]: sum(1 for c in changes if c.kind == k) for k in ("added", "changed", "removed")
                },
                "with_places": sum(1 for r in rows if r.places),
                "total": sum(r.places for r in rows),
                "token": confirmation.confirmation_token(user=request.user, purpose=CONFIRM_PURPOSE, subject=subject),
                "token_field": confirmation.FIELD,
            },
        )
    try:
        if action == "submit":
            services.quota_proposal_submit(proposal=item, actor=request.user)
            messages.success(request, _("Sent to a second administrator for approval."))
        elif action == "return":
            form = ReturnForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.quota_proposal_return(proposal=item, actor=request.user, reason=reason)
            messages.success(request, _("The proposal is a draft again."))
        else:
            services.quota_proposal_approve(proposal=item, actor=request.user)
            messages.success(request, _("Approved: the quotas for %(year)s are set.") % {"year": item.year})
    except services.QuotaProposalError as exc:
        messages.error(request, _error(exc.code))
    return redirect("labour_market:quota_proposal", pk=item.pk)
