"""Writes: the shortage model's versions, rating proposals, their review and publication.

A proposal moves through one table (``TRANSITIONS``) in one function (``_transition``) that
locks the row, checks who may act, saves and audits in one transaction. Publishing needs a
second criteria administrator (four eyes): nobody who ran, edited or submitted the proposal
may approve it. The published rating is written by eligibility.rating.rating_year_replace,
the rating's one writer, so scoring reads it exactly as it reads an imported rating.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from eligibility.labour_market.model import shortage_rows
from eligibility.labour_market.models import LabourMarketImport, ProposalRow, RatingProposal, ShortageModel
from eligibility.labour_market.sectors import sector_for_occupation
from eligibility.labour_market.selectors import (
    latest_data_year,
    observations_of,
    proposal_editors,
    rating_in_force,
    weights_of,
)
from eligibility.products import Sector
from eligibility.rating import rating_year_replace
from portal.audit.record import audit_record
from portal.changes import values_of

Status = RatingProposal.Status


class ProposalError(Exception):
    """A review step that is not allowed now or not by this person; ``code`` names which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# (status, action) -> new status. Who may act is checked in _transition (four eyes for approve).
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, "submit"): Status.SUBMITTED,
    (Status.SUBMITTED, "return"): Status.DRAFT,
    (Status.SUBMITTED, "approve"): Status.PUBLISHED,
}


def shortage_model_create(*, values: dict[str, Any], actor: Any) -> ShortageModel:
    """Save new weights and cut-offs as the next version (versions are never edited)."""
    with transaction.atomic():
        version = (ShortageModel.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
        model = ShortageModel.objects.create(
            **values, version=version, created_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        audit_record(actor=actor, action="labour_market.model", obj=model, snapshot=values_of(model))
    return model


def proposal_create(
    *, year: int, data_import: LabourMarketImport, shortage_model: ShortageModel, actor: Any
) -> RatingProposal:
    """Run the model on the import's latest year and store every row, national and regional,
    with how it was reached; national rows start at the model's priority, in the sector the
    rating in force gives the occupation (else its ISCO group's)."""
    data_year = latest_data_year(data_import)
    if data_year is None:
        raise ProposalError("no_data")
    rows = shortage_rows(
        observations_of(data_import, years=(data_year - 1, data_year)),
        year=data_year,
        weights=weights_of(shortage_model),
    )
    _rating_year, current = rating_in_force(year)
    with transaction.atomic():
        proposal = RatingProposal.objects.create(
            year=year, data_year=data_year, data_import=data_import, shortage_model=shortage_model, proposed_by=actor
        )
        ProposalRow.objects.bulk_create(
            (
                ProposalRow(
                    proposal=proposal,
                    occupation_id=r.occupation,
                    region_id=r.region,
                    sector=current[r.occupation][0] if r.occupation in current else sector_for_occupation(r.occupation),
                    score=r.score,
                    model_priority=r.priority,
                    priority=r.priority,
                    indicators=r.explanation(),
                )
                for r in rows
            ),
            batch_size=2000,
        )
        audit_record(
            actor=actor,
            action="rating_proposal.create",
            obj=proposal,
            to_state=Status.DRAFT,
            snapshot={
                "year": year,
                "data_year": data_year,
                "data_import": data_import.version,
                "shortage_model": shortage_model.version,
                "proposed": sum(1 for r in rows if r.region is None and r.priority is not None),
            },
        )
    return proposal


def proposal_row_edit(*, row: ProposalRow, priority: int | None, sector: str, reason: str, actor: Any) -> ProposalRow:
    """Change one national row of a draft proposal; the reason is required and kept."""
    if not reason.strip():
        raise ProposalError("reason_required")
    if priority not in (None, 1, 2, 3) or sector not in Sector.values:
        raise ProposalError("invalid")
    with transaction.atomic():
        proposal = RatingProposal.objects.select_for_update().get(pk=row.proposal_id)
        row = ProposalRow.objects.select_for_update().get(pk=row.pk)
        if proposal.status != Status.DRAFT:
            raise ProposalError("not_draft")
        if row.region_id is not None:
            raise ProposalError("regional_row")
        before = {"priority": row.priority, "sector": row.sector}
        row.priority, row.sector, row.reason = priority, sector, reason.strip()
        row.edited_by, row.edited_at = actor, timezone.now()
        row.save(update_fields=["priority", "sector", "reason", "edited_by", "edited_at"])
        audit_record(
            actor=actor,
            action="rating_proposal.edit",
            obj=proposal,
            reason=row.reason,
            snapshot={
                "isco_code": row.occupation_id,
                "before": before,
                "after": {"priority": priority, "sector": sector},
                "model_priority": row.model_priority,
            },
        )
    return row


def _transition(*, proposal: RatingProposal, action: str, actor: Any, reason: str = "") -> RatingProposal:
    with transaction.atomic():
        proposal = RatingProposal.objects.select_for_update().get(pk=proposal.pk)
        target = TRANSITIONS.get((proposal.status, action))
        if target is None:
            raise ProposalError("not_allowed")
        if action == "approve" and actor.pk in proposal_editors(proposal):
            raise ProposalError("four_eyes")
        before = proposal.status
        snapshot: dict[str, Any] = {"year": proposal.year}
        fields = ["status"]
        if action == "submit":
            proposal.submitted_by, proposal.submitted_at = actor, timezone.now()
            fields += ["submitted_by", "submitted_at"]
        elif action == "return":
            proposal.submitted_by, proposal.submitted_at = None, None
            fields += ["submitted_by", "submitted_at"]
        elif action == "approve":
            rows = {
                code: (sector, int(priority or 0))
                for code, sector, priority in proposal.rows.filter(
                    region__isnull=True, priority__isnull=False
                ).values_list("occupation_id", "sector", "priority")
            }
            report = rating_year_replace(proposal.year, rows, actor=actor, action="rating.publish")
            snapshot.update(created=report.created, updated=report.updated, removed=report.removed, rows=len(rows))
            proposal.approved_by, proposal.published_at = actor, timezone.now()
            fields += ["approved_by", "published_at"]
        proposal.status = target
        proposal.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=f"rating_proposal.{action}",
            obj=proposal,
            from_state=before,
            to_state=target,
            reason=reason,
            snapshot=snapshot,
        )
    return proposal


def proposal_submit(*, proposal: RatingProposal, actor: Any) -> RatingProposal:
    """Ask a second criteria administrator to approve the draft."""
    return _transition(proposal=proposal, action="submit", actor=actor)


def proposal_return(*, proposal: RatingProposal, actor: Any, reason: str = "") -> RatingProposal:
    """Send a submitted proposal back to draft (to edit it further, or not to publish it)."""
    return _transition(proposal=proposal, action="return", actor=actor, reason=reason)


def proposal_approve(*, proposal: RatingProposal, actor: Any) -> RatingProposal:
    """The second administrator's approval: publish the national rows with a priority as the
    rating of the proposal's year, replacing that year's rows (four eyes enforced here)."""
    return _transition(proposal=proposal, action="approve", actor=actor)
