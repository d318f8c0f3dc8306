"""JSON Schema of a criteria set (import/export format ``eligibility.criteria/1``).

The schema checks shape and types; ``validation.validate_definition`` then checks meaning
(band overlaps, caps, attainable pass mark, unknown facts, missing tables).
"""

from __future__ import annotations

from typing import Any

import jsonschema

from eligibility.engine.vocabulary import (
    CONDITION_OPS,
    DERIVED_OPS,
    FACT_TYPES,
    LABEL_LANGUAGES,
    SCHEMA_ID,
    DefinitionError,
)

_NUM = {"type": "number"}
_NUM_OR_NULL = {"type": ["number", "null"]}
_SCALAR = {"type": ["string", "number", "boolean"]}
_ID = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$", "maxLength": 64}
_TEXT = {"type": "string"}

_BASE_FACTOR = {
    "id": _ID,
    "kind": {"type": "string"},
    "label": _TEXT,
    "group": {"type": ["string", "null"]},
    "bonus": {"type": "boolean"},
    "help": _TEXT,
}

_CHOICE = {
    "type": "object",
    "required": ["value", "points"],
    "additionalProperties": False,
    "properties": {"value": _SCALAR, "points": _NUM, "label": _TEXT},
}

_AXIS = {
    "type": "object",
    "required": ["fact", "kind", "entries"],
    "additionalProperties": False,
    "properties": {
        "fact": _ID,
        "kind": {"enum": ["bands", "choices"]},
        "entries": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["key"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "minLength": 1},
                    "label": _TEXT,
                    "min": _NUM_OR_NULL,
                    "max": _NUM_OR_NULL,
                    "values": {"type": "array", "items": _SCALAR, "minItems": 1},
                },
            },
        },
    },
}


def _factor(kind: str, required: list[str], props: dict[str, Any]) -> dict[str, Any]:
    return {
        "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
        "then": {
            "required": ["id", "kind", *required],
            "additionalProperties": False,
            "properties": {**_BASE_FACTOR, **props},
        },
    }


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://kandas.example/schemas/eligibility.criteria-1.json",
    "title": "Eligibility criteria set",
    "type": "object",
    "required": ["schema", "code", "title", "pass_mark", "facts", "factors"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "code": {"type": "string", "minLength": 1, "maxLength": 64},
        "title": {"type": "string", "minLength": 1},
        "product": _TEXT,
        "version": {"type": ["integer", "null"], "minimum": 1},
        "pass_mark": _NUM_OR_NULL,
        "cap": _NUM_OR_NULL,
        "facts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "type"],
                "additionalProperties": False,
                "properties": {
                    "name": _ID,
                    "type": {"enum": list(FACT_TYPES)},
                    "label": _TEXT,
                    "help": _TEXT,
                    "choices": {"type": "array", "items": _SCALAR, "minItems": 1},
                    "choice_labels": {"type": "array", "items": _TEXT},
                    "minimum": _NUM_OR_NULL,
                    "maximum": _NUM_OR_NULL,
                    "default": _SCALAR,
                    "improvable": {"type": "boolean"},
                },
            },
        },
        "derived": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "op", "of"],
                "additionalProperties": False,
                "properties": {
                    "name": _ID,
                    "op": {"enum": list(DERIVED_OPS)},
                    "of": {"type": "array", "items": _ID, "minItems": 1},
                    "label": _TEXT,
                },
            },
        },
        "tables": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _ID,
                    "label": _TEXT,
                    "rows": {"type": "object", "additionalProperties": _SCALAR},
                },
            },
        },
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": False,
                "properties": {"id": _ID, "label": _TEXT, "cap": _NUM_OR_NULL, "parent": {"type": ["string", "null"]}},
            },
        },
        "factors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "kind"],
                "properties": {"kind": {"enum": ["bands", "choices", "boolean", "lookup", "matrix"]}},
                "allOf": [
                    _factor(
                        "bands",
                        ["fact", "bands"],
                        {
                            "fact": _ID,
                            "bands": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["min", "max", "points"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "min": _NUM_OR_NULL,
                                        "max": _NUM_OR_NULL,
                                        "points": _NUM,
                                        "label": _TEXT,
                                    },
                                },
                            },
                        },
                    ),
                    _factor(
                        "choices",
                        ["fact", "choices"],
                        {"fact": _ID, "choices": {"type": "array", "minItems": 1, "items": _CHOICE}},
                    ),
                    _factor(
                        "boolean",
                        ["fact", "points_true"],
                        {"fact": _ID, "points_true": _NUM, "points_false": _NUM},
                    ),
                    _factor(
                        "lookup",
                        ["fact", "table", "choices"],
                        {
                            "fact": _ID,
                            "table": _ID,
                            "choices": {"type": "array", "minItems": 1, "items": _CHOICE},
                            "points_not_found": _NUM,
                        },
                    ),
                    _factor(
                        "matrix",
                        ["rows", "cols", "cells"],
                        {
                            "rows": _AXIS,
                            "cols": _AXIS,
                            "cells": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["row", "col", "points"],
                                    "additionalProperties": False,
                                    "properties": {"row": _TEXT, "col": _TEXT, "points": _NUM},
                                },
                            },
                        },
                    ),
                ],
            },
        },
        "knockouts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "label", "condition"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "label": {"type": "string", "minLength": 1},
                    "help": _TEXT,
                    "condition": {"$ref": "#/$defs/condition"},
                },
            },
        },
        "meta": {"type": "object"},
        # The set's texts in other languages: {text as written in the set: {language: text}}.
        "translations": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "propertyNames": {"enum": list(LABEL_LANGUAGES)},
                "additionalProperties": {"type": "string"},
            },
        },
    },
    "$defs": {
        "condition": {
            "type": "object",
            "oneOf": [
                {
                    "required": ["fact", "op"],
                    "additionalProperties": False,
                    "properties": {
                        "fact": _ID,
                        "op": {"enum": list(CONDITION_OPS)},
                        "value": {},
                        "label": _TEXT,
                    },
                },
                {
                    "required": ["all"],
                    "additionalProperties": False,
                    "properties": {
                        "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
                        "label": _TEXT,
                    },
                },
                {
                    "required": ["any"],
                    "additionalProperties": False,
                    "properties": {
                        "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
                        "label": _TEXT,
                    },
                },
                {
                    "required": ["not"],
                    "additionalProperties": False,
                    "properties": {"not": {"$ref": "#/$defs/condition"}, "label": _TEXT},
                },
            ],
        }
    },
}

_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def format_path(path: Any) -> str:
    """["factors", 3, "bands", 1, "max"] -> "factors[3].bands[1].max"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def schema_errors(data: Any) -> list[DefinitionError]:
    """Every schema violation, each naming the bad field; empty when the shape is right."""
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    out: list[DefinitionError] = []
    for err in errors:
        # For oneOf/allOf failures the most specific sub-error names the real field.
        best = jsonschema.exceptions.best_match([err])
        path = format_path(best.absolute_path)
        out.append(DefinitionError(path, best.message))
    return out


def check_schema(data: Any) -> None:
    """Raise the first schema violation as ``DefinitionError`` (field path + message)."""
    errors = schema_errors(data)
    if errors:
        raise errors[0]
