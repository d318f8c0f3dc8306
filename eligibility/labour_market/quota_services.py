"""Quota proposals: made from the rule in quota_proposals.py, reviewed, approved with four eyes,
then written as the sector × region quotas of their year.

As for rating proposals (services.py), one table (``TRANSITIONS``) and one function
(``_transition``) move a proposal: lock, check who acts, save, audit, in one transaction.
Nobody who made, edited or submitted a proposal may approve it.

Approval writes only sector × region quotas of the proposal's product and year (sector-only
and region-only quotas are never touched): each row with places becomes a quota (created or
its places changed; never below the places already used); a sector × region quota of that
year that the proposal leaves without places is deleted if no place of it is used yet, and
left as it is otherwise (cases already hold its places). A row of 0 places never becomes a
quota: a quota of 0 places would refuse every case in its scope.

This year's approvals and waiting list come from the applications app through the
``quota_uptake`` hook (eligibility imports nothing from applications).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from eligibility import hooks
from eligibility.labour_market.models import (
    LabourMarketImport,
    LabourMarketIndicator,
    QuotaProposal,
    QuotaProposalRow,
)
from eligibility.labour_market.quota_proposals import QuotaSettings, VacancyRow, propose
from eligibility.labour_market.sectors import sector_for_occupation
from eligibility.labour_market.selectors import latest_data_year, rating_in_force
from eligibility.models import Quota
from portal.audit.record import audit_record

Status = QuotaProposal.Status
SETTINGS_FIELDS = ("uptake_weight", "waiting_weight", "demand_weight", "unrated_weight", "ceiling")
# Sector × region quotas only: both set.
COMBINED = ~Q(sector="") & Q(region__isnull=False)


class QuotaProposalError(Exception):
    """A step that is not allowed now or not by this person; ``code`` names which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, "submit"): Status.SUBMITTED,
    (Status.SUBMITTED, "return"): Status.DRAFT,
    (Status.SUBMITTED, "approve"): Status.APPROVED,
}


def settings_of(proposal: QuotaProposal) -> QuotaSettings:
    return QuotaSettings(
        uptake_weight=float(proposal.uptake_weight),
        waiting_weight=float(proposal.waiting_weight),
        demand_weight=float(proposal.demand_weight),
        unrated_weight=float(proposal.unrated_weight),
        ceiling=proposal.ceiling,
    )


def combined_quotas(product: str, year: int) -> dict[tuple[str, str], Quota]:
    """The sector × region quotas of a product and year, by (sector, region code)."""
    return {
        (q.sector, str(q.region_id)): q  # COMBINED: the region is always set
        for q in Quota.objects.filter(COMBINED, product=product, year=year).order_by("sector", "region_id")
    }


def quotas_in_force(product: str, year: int) -> tuple[int | None, dict[tuple[str, str], Quota]]:
    """The sector × region quotas a proposal for ``year`` is compared with: that year's if it
    has any, else those of the latest year before it (the ones in force now)."""
    in_force_year = Quota.objects.filter(COMBINED, product=product, year__lte=year).aggregate(y=Max("year"))["y"]
    if in_force_year is None:
        return None, {}
    return in_force_year, combined_quotas(product, in_force_year)


def _vacancy_rows(data_import: LabourMarketImport, year: int) -> list[VacancyRow]:
    return [
        VacancyRow(*values)
        for values in LabourMarketIndicator.objects.filter(data_import=data_import, year=year)
        .values_list("occupation_id", "region_id", "vacancies_posted", "vacancies_long_open", "job_seekers")
        .iterator(chunk_size=5000)
    ]


def quota_proposal_create(
    *,
    product: str,
    year: int,
    data_import: LabourMarketImport,
    settings: dict[str, Any],
    actor: Any,
    uptake: dict[tuple[str, str], dict[str, int]] | None = None,
) -> QuotaProposal:
    """Compute next year's sector × region places for ``product`` and store every row with its
    inputs. ``uptake`` ((sector, region) -> approved / waiting counts of the year before
    ``year``) defaults to what the applications app reports through the hook."""
    data_year = latest_data_year(data_import)
    if data_year is None:
        raise QuotaProposalError("no_data")
    uptake_year = year - 1
    if uptake is None:
        uptake = hooks.provider("quota_uptake")(product=product, year=uptake_year)
    rating_year, rating = rating_in_force(year)
    values = {name: settings[name] for name in SETTINGS_FIELDS if name in settings}
    draft = QuotaProposal(product=product, year=year, **values)
    results = propose(
        vacancy_rows=_vacancy_rows(data_import, data_year),
        uptake=uptake,
        quotas_now={key: (q.places, q.used) for key, q in combined_quotas(product, uptake_year).items()},
        sector_of=lambda code: rating[code][0] if code in rating else sector_for_occupation(code),
        rated=set(rating),
        settings=settings_of(draft),
    )
    with transaction.atomic():
        draft.uptake_year, draft.data_import, draft.data_year = uptake_year, data_import, data_year
        draft.rating_year, draft.proposed_by = rating_year, actor
        draft.save()
        QuotaProposalRow.objects.bulk_create(
            (
                QuotaProposalRow(
                    proposal=draft,
                    sector=r.inputs.sector,
                    region_id=r.inputs.region,
                    model_places=r.places,
                    places=r.places,
                    inputs=r.explanation(),
                )
                for r in results
            ),
            batch_size=2000,
        )
        audit_record(
            actor=actor,
            action="quota_proposal.create",
            obj=draft,
            to_state=Status.DRAFT,
            snapshot={
                "product": product,
                "year": year,
                "data_import": data_import.version,
                "data_year": data_year,
                "rating_year": rating_year,
                "settings": {name: str(getattr(draft, name)) for name in SETTINGS_FIELDS},
                "rows": len(results),
                "places": sum(r.places for r in results),
            },
        )
    return draft


def quota_proposal_row_edit(*, row: QuotaProposalRow, places: int, reason: str, actor: Any) -> QuotaProposalRow:
    """Change one row's places in a draft; the reason is required and kept on the row."""
    if not reason.strip():
        raise QuotaProposalError("reason_required")
    if not 0 <= places <= 1_000_000:
        raise QuotaProposalError("invalid")
    with transaction.atomic():
        proposal = QuotaProposal.objects.select_for_update().get(pk=row.proposal_id)
        row = QuotaProposalRow.objects.select_for_update().get(pk=row.pk)
        if proposal.status != Status.DRAFT:
            raise QuotaProposalError("not_draft")
        before = row.places
        row.places, row.reason = places, reason.strip()
        row.edited_by, row.edited_at = actor, timezone.now()
        row.save(update_fields=["places", "reason", "edited_by", "edited_at"])
        audit_record(
            actor=actor,
            action="quota_proposal.edit",
            obj=proposal,
            reason=row.reason,
            snapshot={
                "sector": row.sector,
                "region": row.region_id,
                "before": before,
                "after": places,
                "model_places": row.model_places,
            },
        )
    return row


def quota_proposal_editors(proposal: QuotaProposal) -> set[int]:
    """Everyone who shaped the proposal: who made it, submitted it or edited a row."""
    ids = set(proposal.rows.exclude(edited_by=None).values_list("edited_by", flat=True))
    return {pk for pk in (proposal.proposed_by_id, proposal.submitted_by_id, *ids) if pk is not None}


@dataclass
class QuotaWrite:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # left without places by the proposal but already used: left as they are

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "removed": self.removed, "kept": self.kept}


def _quotas_write(proposal: QuotaProposal, actor: Any) -> QuotaWrite:
    """Make the rows with places the sector × region quotas of the proposal's year (see the
    module docstring for what happens to the others). Every change is audited."""
    report = QuotaWrite()
    existing = {
        (q.sector, q.region_id): q
        for q in Quota.objects.select_for_update().filter(COMBINED, product=proposal.product, year=proposal.year)
    }
    source = f"quota proposal {proposal.pk}"
    proposed = set()
    for sector, region_id, places in proposal.rows.filter(places__gt=0).values_list("sector", "region_id", "places"):
        proposed.add((sector, region_id))
        quota = existing.get((sector, region_id))
        if quota is None:
            quota = Quota.objects.create(
                product=proposal.product,
                year=proposal.year,
                sector=sector,
                region_id=region_id,
                places=places,
                source=source,
            )
            report.created += 1
            before = None
        elif quota.places != max(places, quota.used):
            before = quota.places
            # Cases already hold `used` places; the database refuses fewer places than that.
            quota.places, quota.source = max(places, quota.used), source
            quota.save(update_fields=["places", "source"])
            report.updated += 1
        else:
            continue
        audit_record(
            actor=actor,
            action="quota.set",
            obj=quota,
            reason=source,
            snapshot={
                "product": quota.product,
                "year": quota.year,
                "sector": sector,
                "region": region_id,
                "before": before,
                "places": quota.places,
            },
        )
    for key, quota in existing.items():
        if key in proposed:
            continue
        if quota.used:
            report.kept += 1
            continue
        audit_record(
            actor=actor,
            action="quota.remove",
            obj=quota,
            reason=source,
            snapshot={
                "product": quota.product,
                "year": quota.year,
                "sector": quota.sector,
                "region": quota.region_id,
                "places": quota.places,
            },
        )
        quota.delete()
        report.removed += 1
    return report


def _transition(*, proposal: QuotaProposal, action: str, actor: Any, reason: str = "") -> QuotaProposal:
    with transaction.atomic():
        proposal = QuotaProposal.objects.select_for_update().get(pk=proposal.pk)
        target = TRANSITIONS.get((proposal.status, action))
        if target is None:
            raise QuotaProposalError("not_allowed")
        if action == "approve" and actor.pk in quota_proposal_editors(proposal):
            raise QuotaProposalError("four_eyes")
        before = proposal.status
        snapshot: dict[str, Any] = {"product": proposal.product, "year": proposal.year}
        fields = ["status"]
        if action == "submit":
            proposal.submitted_by, proposal.submitted_at = actor, timezone.now()
            fields += ["submitted_by", "submitted_at"]
        elif action == "return":
            proposal.submitted_by, proposal.submitted_at = None, None
            fields += ["submitted_by", "submitted_at"]
        elif action == "approve":
            snapshot.update(_quotas_write(proposal, actor).as_dict())
            proposal.approved_by, proposal.approved_at = actor, timezone.now()
            fields += ["approved_by", "approved_at"]
        proposal.status = target
        proposal.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=f"quota_proposal.{action}",
            obj=proposal,
            from_state=before,
            to_state=target,
            reason=reason,
            snapshot=snapshot,
        )
    return proposal


def quota_proposal_submit(*, proposal: QuotaProposal, actor: Any) -> QuotaProposal:
    """Ask a second criteria administrator to approve the draft."""
    return _transition(proposal=proposal, action="submit", actor=actor)


def quota_proposal_return(*, proposal: QuotaProposal, actor: Any, reason: str = "") -> QuotaProposal:
    """Send a submitted proposal back to draft."""
    return _transition(proposal=proposal, action="return", actor=actor, reason=reason)


def quota_proposal_approve(*, proposal: QuotaProposal, actor: Any) -> QuotaProposal:
    """The second administrator's approval: the rows become the sector × region quotas of the
    proposal's year (four eyes enforced here)."""
    return _transition(proposal=proposal, action="approve", actor=actor)


@dataclass(frozen=True)
class QuotaChange:
    """One sector × region: the quota in force against the proposal."""

    kind: str  # added, changed, removed, unchanged
    sector: str
    region: str
    current: int | None
    proposed: int
    row: QuotaProposalRow | None


def quota_proposal_changes(
    proposal: QuotaProposal, rows: list[QuotaProposalRow], in_force: dict[tuple[str, str], Quota]
) -> list[QuotaChange]:
    """Each row and each quota in force: added (no quota now), changed (other places), removed
    (a quota now, no places proposed) or unchanged; rows of 0 places with no quota are left out."""
    by_key = {(r.sector, r.region_id): r for r in rows}
    changes = []
    for key in sorted(set(by_key) | set(in_force)):
        row = by_key.get(key)
        quota = in_force.get(key)
        current = quota.places if quota else None
        proposed = row.places if row else 0
        if current is None:
            if not proposed:
                continue
            kind = "added"
        elif not proposed:
            kind = "removed"
        elif proposed != current:
            kind = "changed"
        else:
            kind = "unchanged"
        changes.append(QuotaChange(kind, key[0], key[1], current, proposed, row))
    order = {"added": 0, "changed": 1, "removed": 2, "unchanged": 3}
    return sorted(changes, key=lambda c: (order[c.kind], -c.proposed, c.sector, c.region))
