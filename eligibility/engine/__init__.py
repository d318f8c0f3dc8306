"""The eligibility engine: plain Python, no ORM.

definition = CriteriaDefinition.from_dict(json.load(f))   # schema-checked
evaluator = compile_criteria(definition, tables={...})    # validated, compiled once
result = evaluator.evaluate({"age": 31, ...})              # explained result
total, status = evaluator.score(facts)                     # fast path for whole pools
"""

from eligibility.engine.definition import (
    Axis,
    AxisEntry,
    Band,
    BandsFactor,
    BooleanFactor,
    Cell,
    Choice,
    ChoicesFactor,
    Condition,
    CriteriaDefinition,
    DefinitionError,
    DerivedFact,
    Factor,
    FactSpec,
    Group,
    KnockOut,
    LookupFactor,
    MatrixFactor,
    Table,
)
from eligibility.engine.evaluator import Evaluator, compile_criteria
from eligibility.engine.result import FAIL, NEEDS_MORE_INFORMATION, PASS, Result
from eligibility.engine.schema import SCHEMA, check_schema, schema_errors
from eligibility.engine.validation import CriteriaError, Issue, max_attainable, validate_definition

__all__ = [
    "FAIL",
    "NEEDS_MORE_INFORMATION",
    "PASS",
    "SCHEMA",
    "Axis",
    "AxisEntry",
    "Band",
    "BandsFactor",
    "BooleanFactor",
    "Cell",
    "Choice",
    "ChoicesFactor",
    "Condition",
    "CriteriaDefinition",
    "CriteriaError",
    "DefinitionError",
    "DerivedFact",
    "Evaluator",
    "FactSpec",
    "Factor",
    "Group",
    "Issue",
    "KnockOut",
    "LookupFactor",
    "MatrixFactor",
    "Result",
    "Table",
    "check_schema",
    "compile_criteria",
    "max_attainable",
    "schema_errors",
    "validate_definition",
]
