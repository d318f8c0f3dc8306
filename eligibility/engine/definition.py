"""Criteria definitions: small frozen dataclasses, with a lossless dict form.

A criteria set declares the facts it reads (name, type, label), optional derived facts
(min/max/sum of other facts), reference tables for lookups, groups with caps, the
factors that turn facts into points, and knock-out requirements. Nothing here touches
the database; models build these objects and the compiler turns them into an evaluator.

Bands are half-open: ``min`` is inclusive, ``max`` exclusive, ``None`` means unbounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from eligibility.engine.schema import check_schema
from eligibility.engine.vocabulary import (  # noqa: F401 - part of this module's API
    CONDITION_OPS,
    DERIVED_OPS,
    FACT_TYPES,
    SCHEMA_ID,
    DefinitionError,
)

Number = int | float
Scalar = str | int | float | bool

# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class FactSpec:
    """One fact the criteria read from an application (or a self-check form)."""

    name: str
    type: str  # one of FACT_TYPES
    label: str = ""
    help: str = ""
    choices: tuple[Scalar, ...] | None = None  # allowed values (string/integer facts)
    choice_labels: tuple[str, ...] | None = None  # human labels for choices, same order
    minimum: Number | None = None
    maximum: Number | None = None
    default: Scalar | None = None  # used when the fact is absent; None: no default
    improvable: bool = True  # False for facts a person cannot change (age): no hints

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        _put(out, "label", self.label, "")
        _put(out, "help", self.help, "")
        if self.choices is not None:
            out["choices"] = list(self.choices)
        if self.choice_labels is not None:
            out["choice_labels"] = list(self.choice_labels)
        _put(out, "minimum", self.minimum, None)
        _put(out, "maximum", self.maximum, None)
        _put(out, "default", self.default, None)
        _put(out, "improvable", self.improvable, True)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FactSpec:
        return cls(
            name=d["name"],
            type=d["type"],
            label=d.get("label", ""),
            help=d.get("help", ""),
            choices=tuple(d["choices"]) if d.get("choices") is not None else None,
            choice_labels=tuple(d["choice_labels"]) if d.get("choice_labels") is not None else None,
            minimum=d.get("minimum"),
            maximum=d.get("maximum"),
            default=d.get("default"),
            improvable=d.get("improvable", True),
        )


@dataclass(frozen=True)
class DerivedFact:
    """A number computed from other facts before scoring (e.g. the lowest of four CLB levels)."""

    name: str
    op: str  # one of DERIVED_OPS
    of: tuple[str, ...]
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "op": self.op, "of": list(self.of)}
        _put(out, "label", self.label, "")
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DerivedFact:
        return cls(name=d["name"], op=d["op"], of=tuple(d["of"]), label=d.get("label", ""))


@dataclass(frozen=True)
class Table:
    """A reference table for lookup factors: key -> value (e.g. ISCO code -> priority 1..3).

    ``rows`` is None when the rows come from outside at compile time (the database rating)."""

    name: str
    label: str = ""
    rows: dict[str, Scalar] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        _put(out, "label", self.label, "")
        if self.rows is not None:
            out["rows"] = dict(self.rows)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Table:
        rows = d.get("rows")
        return cls(name=d["name"], label=d.get("label", ""), rows=dict(rows) if rows is not None else None)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Band:
    """Half-open numeric range [min, max) worth ``points``."""

    min: Number | None
    max: Number | None
    points: Number
    label: str = ""

    def describe(self) -> str:
        if self.label:
            return self.label
        return describe_range(self.min, self.max)

    def contains(self, value: Number) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"min": self.min, "max": self.max, "points": self.points}
        _put(out, "label", self.label, "")
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Band:
        return cls(min=d.get("min"), max=d.get("max"), points=d["points"], label=d.get("label", ""))


@dataclass(frozen=True)
class Choice:
    """One value worth ``points``."""

    value: Scalar
    points: Number
    label: str = ""

    def describe(self) -> str:
        return self.label or str(self.value)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "points": self.points}
        _put(out, "label", self.label, "")
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Choice:
        return cls(value=d["value"], points=d["points"], label=d.get("label", ""))


@dataclass(frozen=True)
class AxisEntry:
    """One row or column of a matrix: a key, and either a band [min, max) or a list of values."""

    key: str
    label: str = ""
    min: Number | None = None
    max: Number | None = None
    values: tuple[Scalar, ...] | None = None

    def describe(self) -> str:
        if self.label:
            return self.label
        if self.values is not None:
            return ", ".join(str(v) for v in self.values)
        return describe_range(self.min, self.max)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key}
        _put(out, "label", self.label, "")
        if self.values is not None:
            out["values"] = list(self.values)
        else:
            out["min"] = self.min
            out["max"] = self.max
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AxisEntry:
        values = d.get("values")
        return cls(
            key=d["key"],
            label=d.get("label", ""),
            min=d.get("min"),
            max=d.get("max"),
            values=tuple(values) if values is not None else None,
        )


@dataclass(frozen=True)
class Axis:
    """One dimension of a matrix: a fact and its entries (all bands, or all value lists)."""

    fact: str
    kind: str  # "bands" or "choices"
    entries: tuple[AxisEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "kind": self.kind, "entries": [e.to_dict() for e in self.entries]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Axis:
        return cls(fact=d["fact"], kind=d["kind"], entries=tuple(AxisEntry.from_dict(e) for e in d["entries"]))


@dataclass(frozen=True)
class Cell:
    row: str
    col: str
    points: Number

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "col": self.col, "points": self.points}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Cell:
        return cls(row=d["row"], col=d["col"], points=d["points"])


# --------------------------------------------------------------------------- factors


@dataclass(frozen=True)
class Factor:
    """Common part of every factor. ``bonus`` factors are optional claims: an absent fact
    counts as "not claimed" (0 points), never as missing information."""

    kind: ClassVar[str] = ""
    id: str
    label: str = ""
    group: str | None = None
    bonus: bool = False
    help: str = ""

    def facts(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _base_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind}
        _put(out, "label", self.label, "")
        _put(out, "group", self.group, None)
        _put(out, "bonus", self.bonus, False)
        _put(out, "help", self.help, "")
        return out

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def _base_kwargs(d: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": d["id"],
            "label": d.get("label", ""),
            "group": d.get("group"),
            "bonus": d.get("bonus", False),
            "help": d.get("help", ""),
        }


@dataclass(frozen=True)
class BandsFactor(Factor):
    kind: ClassVar[str] = "bands"
    fact: str = ""
    bands: tuple[Band, ...] = ()

    def facts(self) -> tuple[str, ...]:
        return (self.fact,)

    def to_dict(self) -> dict[str, Any]:
        return {**self._base_dict(), "fact": self.fact, "bands": [b.to_dict() for b in self.bands]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BandsFactor:
        return cls(**cls._base_kwargs(d), fact=d["fact"], bands=tuple(Band.from_dict(b) for b in d["bands"]))


@dataclass(frozen=True)
class ChoicesFactor(Factor):
    kind: ClassVar[str] = "choices"
    fact: str = ""
    choices: tuple[Choice, ...] = ()

    def facts(self) -> tuple[str, ...]:
        return (self.fact,)

    def to_dict(self) -> dict[str, Any]:
        return {**self._base_dict(), "fact": self.fact, "choices": [c.to_dict() for c in self.choices]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChoicesFactor:
        return cls(**cls._base_kwargs(d), fact=d["fact"], choices=tuple(Choice.from_dict(c) for c in d["choices"]))


@dataclass(frozen=True)
class BooleanFactor(Factor):
    kind: ClassVar[str] = "boolean"
    fact: str = ""
    points_true: Number = 0
    points_false: Number = 0

    def facts(self) -> tuple[str, ...]:
        return (self.fact,)

    def to_dict(self) -> dict[str, Any]:
        out = {**self._base_dict(), "fact": self.fact, "points_true": self.points_true}
        _put(out, "points_false", self.points_false, 0)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BooleanFactor:
        return cls(
            **cls._base_kwargs(d),
            fact=d["fact"],
            points_true=d["points_true"],
            points_false=d.get("points_false", 0),
        )


@dataclass(frozen=True)
class LookupFactor(Factor):
    """fact value -> ``table`` -> table value -> points (via ``choices`` on the table value).

    A key absent from the table scores ``points_not_found`` (e.g. occupation not rated)."""

    kind: ClassVar[str] = "lookup"
    fact: str = ""
    table: str = ""
    choices: tuple[Choice, ...] = ()
    points_not_found: Number = 0

    def facts(self) -> tuple[str, ...]:
        return (self.fact,)

    def to_dict(self) -> dict[str, Any]:
        out = {
            **self._base_dict(),
            "fact": self.fact,
            "table": self.table,
            "choices": [c.to_dict() for c in self.choices],
        }
        _put(out, "points_not_found", self.points_not_found, 0)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LookupFactor:
        return cls(
            **cls._base_kwargs(d),
            fact=d["fact"],
            table=d["table"],
            choices=tuple(Choice.from_dict(c) for c in d["choices"]),
            points_not_found=d.get("points_not_found", 0),
        )


@dataclass(frozen=True)
class MatrixFactor(Factor):
    """Two facts combined (Canada's skill transferability, Japan's salary by age).

    A (row, col) pair without a cell scores 0."""

    kind: ClassVar[str] = "matrix"
    rows: Axis = field(default_factory=lambda: Axis("", "bands", ()))
    cols: Axis = field(default_factory=lambda: Axis("", "bands", ()))
    cells: tuple[Cell, ...] = ()

    def facts(self) -> tuple[str, ...]:
        return (self.rows.fact, self.cols.fact)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self._base_dict(),
            "rows": self.rows.to_dict(),
            "cols": self.cols.to_dict(),
            "cells": [c.to_dict() for c in self.cells],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MatrixFactor:
        return cls(
            **cls._base_kwargs(d),
            rows=Axis.from_dict(d["rows"]),
            cols=Axis.from_dict(d["cols"]),
            cells=tuple(Cell.from_dict(c) for c in d["cells"]),
        )


FACTOR_KINDS: dict[str, type[Factor]] = {
    k.kind: k for k in (BandsFactor, ChoicesFactor, BooleanFactor, LookupFactor, MatrixFactor)
}


# --------------------------------------------------------------------------- groups, knock-outs


@dataclass(frozen=True)
class Group:
    """Factors (and sub-groups) whose points together never exceed ``cap``."""

    id: str
    label: str = ""
    cap: Number | None = None
    parent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        _put(out, "label", self.label, "")
        _put(out, "cap", self.cap, None)
        _put(out, "parent", self.parent, None)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Group:
        return cls(id=d["id"], label=d.get("label", ""), cap=d.get("cap"), parent=d.get("parent"))


@dataclass(frozen=True)
class Condition:
    """A requirement: either a test on one fact (``fact`` + ``op`` [+ ``value``]) or a
    combination: ``all`` / ``any`` of sub-conditions, or ``not``."""

    fact: str | None = None
    op: str | None = None
    value: Any = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = None
    label: str = ""

    def facts(self) -> tuple[str, ...]:
        if self.fact is not None:
            return (self.fact,)
        out: list[str] = []
        for sub in self.children():
            out.extend(f for f in sub.facts() if f not in out)
        return tuple(out)

    def children(self) -> tuple[Condition, ...]:
        if self.all is not None:
            return self.all
        if self.any is not None:
            return self.any
        if self.not_ is not None:
            return (self.not_,)
        return ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.all is not None:
            out["all"] = [c.to_dict() for c in self.all]
        elif self.any is not None:
            out["any"] = [c.to_dict() for c in self.any]
        elif self.not_ is not None:
            out["not"] = self.not_.to_dict()
        else:
            out["fact"] = self.fact
            out["op"] = self.op
            if self.op not in ("is_true", "is_false", "present"):
                out["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        _put(out, "label", self.label, "")
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Condition:
        label = d.get("label", "")
        if "all" in d:
            return cls(all=tuple(cls.from_dict(c) for c in d["all"]), label=label)
        if "any" in d:
            return cls(any=tuple(cls.from_dict(c) for c in d["any"]), label=label)
        if "not" in d:
            return cls(not_=cls.from_dict(d["not"]), label=label)
        value = d.get("value")
        if isinstance(value, list):
            value = tuple(value)
        return cls(fact=d["fact"], op=d["op"], value=value, label=label)


@dataclass(frozen=True)
class KnockOut:
    """A requirement that fails the application whatever its points."""

    id: str
    label: str
    condition: Condition
    help: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "condition": self.condition.to_dict()}
        _put(out, "help", self.help, "")
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> KnockOut:
        return cls(id=d["id"], label=d["label"], condition=Condition.from_dict(d["condition"]), help=d.get("help", ""))


# --------------------------------------------------------------------------- the set


@dataclass(frozen=True)
class CriteriaDefinition:
    """A whole criteria set as the engine sees it."""

    code: str
    title: str
    pass_mark: Number | None = None  # None: ranking only (like Canada's CRS)
    cap: Number | None = None  # whole-set cap
    product: str = ""
    version: int | None = None
    facts: tuple[FactSpec, ...] = ()
    derived: tuple[DerivedFact, ...] = ()
    tables: tuple[Table, ...] = ()
    groups: tuple[Group, ...] = ()
    factors: tuple[Factor, ...] = ()
    knockouts: tuple[KnockOut, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)  # source, notes, example flag...
    # The set's texts in other languages: {text as written in the set: {language: text}}.
    # Data for pages (eligibility.display); the engine never reads it.
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def fact_spec(self, name: str) -> FactSpec | None:
        for spec in self.facts:
            if spec.name == name:
                return spec
        return None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA_ID, "code": self.code, "title": self.title}
        _put(out, "product", self.product, "")
        _put(out, "version", self.version, None)
        out["pass_mark"] = self.pass_mark
        _put(out, "cap", self.cap, None)
        out["facts"] = [f.to_dict() for f in self.facts]
        if self.derived:
            out["derived"] = [d.to_dict() for d in self.derived]
        if self.tables:
            out["tables"] = [t.to_dict() for t in self.tables]
        if self.groups:
            out["groups"] = [g.to_dict() for g in self.groups]
        out["factors"] = [f.to_dict() for f in self.factors]
        if self.knockouts:
            out["knockouts"] = [k.to_dict() for k in self.knockouts]
        if self.meta:
            out["meta"] = dict(self.meta)
        if self.translations:
            out["translations"] = {text: dict(langs) for text, langs in self.translations.items()}
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CriteriaDefinition:
        """Build from a dict (parsed JSON). Checks the JSON schema first, so a malformed dict
        raises ``DefinitionError`` naming the bad field instead of a KeyError."""
        check_schema(d)
        return cls(
            code=d["code"],
            title=d["title"],
            pass_mark=d.get("pass_mark"),
            cap=d.get("cap"),
            product=d.get("product", ""),
            version=d.get("version"),
            facts=tuple(FactSpec.from_dict(f) for f in d.get("facts", [])),
            derived=tuple(DerivedFact.from_dict(x) for x in d.get("derived", [])),
            tables=tuple(Table.from_dict(t) for t in d.get("tables", [])),
            groups=tuple(Group.from_dict(g) for g in d.get("groups", [])),
            factors=tuple(FACTOR_KINDS[f["kind"]].from_dict(f) for f in d["factors"]),  # type: ignore[attr-defined]
            knockouts=tuple(KnockOut.from_dict(k) for k in d.get("knockouts", [])),
            meta=dict(d.get("meta", {})),
            translations={text: dict(langs) for text, langs in d.get("translations", {}).items()},
        )


# --------------------------------------------------------------------------- helpers


def describe_range(lo: Number | None, hi: Number | None) -> str:
    """Human text for [lo, hi): "25 to under 30", "30 or more", "under 18"."""
    if lo is None and hi is None:
        return "any value"
    if lo is None:
        return f"under {_num(hi)}"
    if hi is None:
        return f"{_num(lo)} or more"
    return f"{_num(lo)} to under {_num(hi)}"


def _num(x: Number | None) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _put(out: dict[str, Any], key: str, value: Any, default: Any) -> None:
    """Write a key only when it differs from its default: short, stable JSON."""
    if value != default or (value is not default and type(value) is not type(default)):
        out[key] = value
