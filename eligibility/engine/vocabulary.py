"""The words of the criteria format (its id, fact types, operators) and its error type.

Below both ``definition`` (the dataclasses) and ``schema`` (the JSON Schema built from these
words), so that ``CriteriaDefinition.from_dict`` can check the schema without an import cycle.
"""

from __future__ import annotations

SCHEMA_ID = "eligibility.criteria/1"

FACT_TYPES = ("number", "integer", "boolean", "string")
DERIVED_OPS = ("min", "max", "sum", "count_true")
# Languages a set's texts may be translated into (the "translations" object).
LABEL_LANGUAGES = ("kk", "ru", "en", "uz", "zh-hans")
CONDITION_OPS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "is_true", "is_false", "present")


class DefinitionError(ValueError):
    """The dict given to ``from_dict`` does not describe a criteria set.

    ``path`` names the bad field (e.g. ``factors[3].bands[1].max``)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)
