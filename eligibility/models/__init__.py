from eligibility.models.criteria import (
    Band,
    CriteriaGroup,
    CriteriaSet,
    CriteriaSetLocked,
    Factor,
    FactorChoice,
    ImpactReport,
    MatrixCell,
    MatrixEntry,
    RegionYear,
    ScarceProfession,
)
from eligibility.models.quotas import AllocationRound, Quota
from eligibility.models.reference import Occupation, Region

__all__ = [
    "AllocationRound",
    "Band",
    "CriteriaGroup",
    "CriteriaSet",
    "CriteriaSetLocked",
    "Factor",
    "FactorChoice",
    "ImpactReport",
    "MatrixCell",
    "MatrixEntry",
    "Occupation",
    "Quota",
    "Region",
    "RegionYear",
    "ScarceProfession",
]
