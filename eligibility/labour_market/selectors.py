"""Reads of labour-market data, proposals and the rating they are compared with."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max

from eligibility.labour_market.model import Observation, Weights
from eligibility.labour_market.models import (
    LabourMarketImport,
    LabourMarketIndicator,
    ProposalRow,
    RatingProposal,
    ShortageModel,
)
from eligibility.models import ScarceProfession


def observations_of(data_import: LabourMarketImport, years: tuple[int, ...] | None = None) -> list[Observation]:
    """The import's rows as the model's plain values (optionally only some years)."""
    qs = LabourMarketIndicator.objects.filter(data_import=data_import)
    if years:
        qs = qs.filter(year__in=years)
    return [
        Observation(*values)
        for values in qs.values_list(
            "occupation_id",
            "region_id",
            "year",
            "vacancies_posted",
            "vacancies_long_open",
            "job_seekers",
            "employment",
            "median_wage",
        ).iterator(chunk_size=5000)
    ]


def latest_data_year(data_import: LabourMarketImport) -> int | None:
    return LabourMarketIndicator.objects.filter(data_import=data_import).aggregate(y=Max("year"))["y"]


def weights_of(model: ShortageModel) -> Weights:
    return Weights(
        vacancy_ratio=float(model.weight_vacancy_ratio),
        long_open_share=float(model.weight_long_open),
        wage_growth_gap=float(model.weight_wage_growth),
        employment_growth=float(model.weight_employment_growth),
        priority_1_from=float(model.priority_1_from),
        priority_2_from=float(model.priority_2_from),
        priority_3_from=float(model.priority_3_from),
        min_vacancies=model.min_vacancies,
    )


def rating_in_force(year: int) -> tuple[int | None, dict[str, tuple[str, int]]]:
    """The rating scoring reads for ``year`` (its latest year not after ``year``, as
    eligibility.services.reference_tables does): that year and ISCO code -> (sector, priority)."""
    rating_year = ScarceProfession.objects.filter(year__lte=year).aggregate(y=Max("year"))["y"]
    if rating_year is None:
        return None, {}
    rows = ScarceProfession.objects.filter(year=rating_year).values_list("occupation_id", "sector", "priority")
    return rating_year, {code: (sector, priority) for code, sector, priority in rows}


@dataclass(frozen=True)
class Change:
    """One occupation whose national priority differs from the rating in force (or not)."""

    kind: str  # added, removed, moved, unchanged
    occupation: str
    current: int | None
    proposed: int | None
    row: ProposalRow | None


def proposal_changes(proposal: RatingProposal, *, include_unchanged: bool = False) -> list[Change]:
    """The proposal's national rows against the rating in force for its year: added, removed
    (rated today, no priority proposed), moved (another priority), and optionally unchanged."""
    _year, current = rating_in_force(proposal.year)
    rows = {r.occupation_id: r for r in proposal.rows.filter(region__isnull=True)}
    changes = []
    for code in sorted(set(current) | {c for c, r in rows.items() if r.priority is not None}):
        row = rows.get(code)
        now = current[code][1] if code in current else None
        proposed = row.priority if row else None
        if now is None:
            kind = "added"
        elif proposed is None:
            kind = "removed"
        elif proposed != now:
            kind = "moved"
        else:
            kind = "unchanged"
        if kind != "unchanged" or include_unchanged:
            changes.append(Change(kind, code, now, proposed, row))
    order = {"added": 0, "moved": 1, "removed": 2, "unchanged": 3}
    return sorted(changes, key=lambda c: (order[c.kind], c.proposed or 9, -(c.row.score or 0) if c.row else 0))


def proposal_editors(proposal: RatingProposal) -> set[int]:
    """Everyone who shaped the proposal: who ran it, submitted it or edited a row."""
    ids = set(proposal.rows.exclude(edited_by=None).values_list("edited_by", flat=True))
    return {pk for pk in (proposal.proposed_by_id, proposal.submitted_by_id, *ids) if pk is not None}
