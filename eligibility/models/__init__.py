from eligibility.models.criteria import CriteriaSet
from eligibility.models.quotas import AllocationRound, Quota
from eligibility.models.reference import Occupation, Region

__all__ = ["AllocationRound", "CriteriaSet", "Occupation", "Quota", "Region"]
