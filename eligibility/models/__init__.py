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
from eligibility.models.reference import Occupation, Region

__all__ = [
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
    "Region",
    "RegionYear",
    "ScarceProfession",
]
