from eligibility.models.criteria import CriteriaSet
from eligibility.models.reference import Occupation, Region

__all__ = ["CriteriaSet", "Occupation", "Region"]
