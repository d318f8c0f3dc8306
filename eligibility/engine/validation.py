"""Meaning checks on a criteria definition, each naming the factor (or group, fact, knock-out).

The admin's model validation and the JSON import both call ``validate_definition`` and
refuse a set with any issue; the compiler refuses it too, so a broken set never scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from eligibility.engine.definition import (
    BandsFactor,
    BooleanFactor,
    ChoicesFactor,
    Condition,
    CriteriaDefinition,
    Factor,
    LookupFactor,
    MatrixFactor,
    Number,
    describe_range,
)

REFERENCE = "reference"


@dataclass(frozen=True)
class Issue:
    """One problem in a definition. ``subject`` is e.g. "factor age" or "group transferability"."""

    subject: str
    message: str
    path: str = ""
    # "reference": names a fact or table that does not exist (the admin refuses it at save;
    # other issues, such as a gap between bands, only stop publishing).
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"subject": self.subject, "message": self.message, "path": self.path}


class CriteriaError(ValueError):
    """A definition that cannot be compiled; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))


def factor_point_range(factor: Factor) -> tuple[Number, Number]:
    """Lowest and highest raw points a factor can give (before caps)."""
    points: list[Number]
    if isinstance(factor, BandsFactor):
        points = [b.points for b in factor.bands]
        bands = sorted(factor.bands, key=_band_key)
        if bands and (bands[0].min is not None or bands[-1].max is not None):
            points.append(0)  # a value outside every band scores 0
    elif isinstance(factor, ChoicesFactor):
        points = [c.points for c in factor.choices] + [0]
    elif isinstance(factor, BooleanFactor):
        points = [factor.points_true, factor.points_false]
    elif isinstance(factor, LookupFactor):
        points = [c.points for c in factor.choices] + [factor.points_not_found]
    elif isinstance(factor, MatrixFactor):
        points = [c.points for c in factor.cells]
        if len(factor.cells) < len(factor.rows.entries) * len(factor.cols.entries):
            points.append(0)
        points.append(0)  # a value outside every row/column entry
    else:  # pragma: no cover - FACTOR_KINDS is closed
        raise TypeError(factor)
    return min(points), max(points)


def max_attainable(definition: CriteriaDefinition) -> Number:
    """Highest total the set can give, with every group cap and the set cap applied."""
    group_parent = {g.id: g.parent for g in definition.groups}
    group_cap = {g.id: g.cap for g in definition.groups}
    sums: dict[str | None, Number] = {}
    for factor in definition.factors:
        sums[factor.group] = sums.get(factor.group, 0) + max(0, factor_point_range(factor)[1])
    # Children before parents: deepest groups first.
    for gid in sorted(group_cap, key=lambda g: -_depth(g, group_parent)):
        s = sums.get(gid, 0)
        cap = group_cap[gid]
        if cap is not None:
            s = min(s, cap)
        parent = group_parent[gid]
        sums[parent] = sums.get(parent, 0) + s
    total = sums.get(None, 0)
    if definition.cap is not None:
        total = min(total, definition.cap)
    return total


def validate_definition(definition: CriteriaDefinition) -> list[Issue]:
    """Every meaning problem in the definition; an empty list means it can be compiled."""
    issues: list[Issue] = []
    facts = {f.name: f for f in definition.facts}
    known = set(facts)

    seen: set[str] = set()
    for i, spec in enumerate(definition.facts):
        subject = f"fact {spec.name}"
        if spec.name in seen:
            issues.append(Issue(subject, "is declared twice", f"facts[{i}]"))
        seen.add(spec.name)
        if spec.choice_labels is not None and (spec.choices is None or len(spec.choice_labels) != len(spec.choices)):
            issues.append(Issue(subject, "needs one choice label per choice", f"facts[{i}].choice_labels"))
        if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
            issues.append(Issue(subject, "minimum is above maximum", f"facts[{i}].minimum"))
        if spec.default is not None and not _type_ok(spec.type, spec.default):
            issues.append(Issue(subject, f"default {spec.default!r} is not a {spec.type}", f"facts[{i}].default"))

    for i, derived in enumerate(definition.derived):
        subject = f"derived fact {derived.name}"
        if derived.name in known:
            issues.append(Issue(subject, "has the name of another fact", f"derived[{i}].name"))
        for name in derived.of:
            if name not in known:
                issues.append(Issue(subject, f"reads unknown fact '{name}'", f"derived[{i}].of", REFERENCE))
            elif derived.op == "count_true" and facts[name].type != "boolean":
                issues.append(Issue(subject, f"count_true needs boolean facts, '{name}' is not", f"derived[{i}].of"))
            elif derived.op != "count_true" and name in facts and facts[name].type not in ("number", "integer"):
                issues.append(Issue(subject, f"{derived.op} needs number facts, '{name}' is not", f"derived[{i}].of"))
        known.add(derived.name)
    numeric = {n for n, f in facts.items() if f.type in ("number", "integer")} | {d.name for d in definition.derived}

    tables = {t.name for t in definition.tables}
    groups = {g.id: g for g in definition.groups}
    for i, group in enumerate(definition.groups):
        subject = f"group {group.id}"
        if group.cap is not None and group.cap < 0:
            issues.append(Issue(subject, f"cap {group.cap} is below zero", f"groups[{i}].cap"))
        if group.parent is not None and group.parent not in groups:
            issues.append(Issue(subject, f"parent group '{group.parent}' does not exist", f"groups[{i}].parent"))
        if _has_cycle(group.id, {g.id: g.parent for g in definition.groups}):
            issues.append(Issue(subject, "parent chain loops back on itself", f"groups[{i}].parent"))
    if definition.cap is not None and definition.cap < 0:
        issues.append(Issue("criteria set", f"cap {definition.cap} is below zero", "cap"))

    ids: set[str] = set()
    for i, factor in enumerate(definition.factors):
        subject = f"factor {factor.id}"
        path = f"factors[{i}]"
        if factor.id in ids:
            issues.append(Issue(subject, "id is used twice", f"{path}.id"))
        ids.add(factor.id)
        if factor.group is not None and factor.group not in groups:
            issues.append(Issue(subject, f"group '{factor.group}' does not exist", f"{path}.group"))
        for name in factor.facts():
            if name not in known:
                issues.append(Issue(subject, f"reads unknown fact '{name}'", path, REFERENCE))
        issues.extend(_check_factor(factor, subject, path, facts, numeric, tables))

    for i, ko in enumerate(definition.knockouts):
        subject = f"knock-out {ko.id}"
        if ko.id in ids:
            issues.append(Issue(subject, "id is used twice", f"knockouts[{i}].id"))
        ids.add(ko.id)
        issues.extend(_check_condition(ko.condition, subject, f"knockouts[{i}].condition", known, numeric))

    if definition.pass_mark is not None and not issues:
        best = max_attainable(definition)
        if definition.pass_mark > best:
            issues.append(
                Issue(
                    "criteria set",
                    f"pass mark {_fmt(definition.pass_mark)} is above the maximum attainable {_fmt(best)}",
                    "pass_mark",
                )
            )
    return issues


def _check_factor(
    factor: Factor,
    subject: str,
    path: str,
    facts: dict[str, Any],
    numeric: set[str],
    tables: set[str],
) -> list[Issue]:
    issues: list[Issue] = []
    if isinstance(factor, BandsFactor):
        if factor.fact in facts and factor.fact not in numeric:
            issues.append(Issue(subject, f"bands need a number fact, '{factor.fact}' is not", f"{path}.fact"))
        issues.extend(_check_bands([(b.min, b.max) for b in factor.bands], subject, f"{path}.bands"))
    elif isinstance(factor, ChoicesFactor):
        issues.extend(
            _check_values([c.value for c in factor.choices], subject, f"{path}.choices", facts.get(factor.fact))
        )
    elif isinstance(factor, BooleanFactor):
        spec = facts.get(factor.fact)
        if spec is not None and spec.type != "boolean":
            issues.append(Issue(subject, f"needs a boolean fact, '{factor.fact}' is not", f"{path}.fact"))
    elif isinstance(factor, LookupFactor):
        if factor.table not in tables:
            issues.append(
                Issue(subject, f"looks up table '{factor.table}', which does not exist", f"{path}.table", REFERENCE)
            )
        issues.extend(_check_values([c.value for c in factor.choices], subject, f"{path}.choices", None))
    elif isinstance(factor, MatrixFactor):
        keys: dict[str, set[str]] = {}
        for name, axis in (("rows", factor.rows), ("cols", factor.cols)):
            axis_path = f"{path}.{name}"
            entry_keys = [e.key for e in axis.entries]
            if len(set(entry_keys)) != len(entry_keys):
                issues.append(Issue(subject, f"{name} has a key used twice", axis_path))
            keys[name] = set(entry_keys)
            if axis.kind == "bands":
                if any(e.values is not None for e in axis.entries):
                    issues.append(Issue(subject, f"{name} are bands but an entry lists values", axis_path))
                elif axis.fact in facts and axis.fact not in numeric:
                    issues.append(Issue(subject, f"{name} bands need a number fact, '{axis.fact}' is not", axis_path))
                else:
                    issues.extend(_check_bands([(e.min, e.max) for e in axis.entries], subject, f"{axis_path}.entries"))
            else:
                if any(e.values is None for e in axis.entries):
                    issues.append(Issue(subject, f"{name} are choices but an entry has no values", axis_path))
                else:
                    flat = [v for e in axis.entries for v in (e.values or ())]
                    issues.extend(_check_values(flat, subject, f"{axis_path}.entries", facts.get(axis.fact)))
        seen: set[tuple[str, str]] = set()
        for j, cell in enumerate(factor.cells):
            if cell.row not in keys["rows"]:
                issues.append(Issue(subject, f"cell names unknown row '{cell.row}'", f"{path}.cells[{j}].row"))
            if cell.col not in keys["cols"]:
                issues.append(Issue(subject, f"cell names unknown column '{cell.col}'", f"{path}.cells[{j}].col"))
            if (cell.row, cell.col) in seen:
                issues.append(Issue(subject, f"cell ({cell.row}, {cell.col}) is given twice", f"{path}.cells[{j}]"))
            seen.add((cell.row, cell.col))
    return issues


def _check_bands(ranges: list[tuple[Number | None, Number | None]], subject: str, path: str) -> list[Issue]:
    issues: list[Issue] = []
    for lo, hi in ranges:
        if lo is not None and hi is not None and lo >= hi:
            issues.append(Issue(subject, f"band {describe_range(lo, hi)} is empty (min must be below max)", path))
        for x in (lo, hi):
            if x is not None and isinstance(x, float) and not math.isfinite(x):
                issues.append(Issue(subject, "band limits must be finite numbers (use null for unbounded)", path))
    if issues:
        return issues
    ordered = sorted(ranges, key=lambda r: -math.inf if r[0] is None else r[0])
    for (lo1, hi1), (lo2, hi2) in zip(ordered, ordered[1:], strict=False):
        a, b = describe_range(lo1, hi1), describe_range(lo2, hi2)
        if hi1 is None or lo2 is None or hi1 > lo2:
            issues.append(Issue(subject, f"bands {a} and {b} overlap", path))
        elif hi1 < lo2:
            issues.append(
                Issue(subject, f"gap between bands {a} and {b}: {describe_range(hi1, lo2)} has no band", path)
            )
    return issues


def _check_values(values: list[Any], subject: str, path: str, spec: Any) -> list[Issue]:
    issues: list[Issue] = []
    seen: list[Any] = []
    for v in values:
        # 1 == True in Python: compare with the type so they count as different values.
        if any(v == s and type(v) is type(s) for s in seen):
            issues.append(Issue(subject, f"value {v!r} is listed twice", path))
        seen.append(v)
        if spec is not None:
            if not _type_ok(spec.type, v):
                issues.append(Issue(subject, f"value {v!r} is not a {spec.type} like fact '{spec.name}'", path))
            elif spec.choices is not None and v not in spec.choices:
                issues.append(Issue(subject, f"value {v!r} is not one of the choices of fact '{spec.name}'", path))
    return issues


def _check_condition(cond: Condition, subject: str, path: str, known: set[str], numeric: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    if cond.fact is not None:
        if cond.fact not in known:
            issues.append(Issue(subject, f"reads unknown fact '{cond.fact}'", f"{path}.fact", REFERENCE))
        if cond.op in ("gt", "gte", "lt", "lte"):
            if cond.fact in known and cond.fact not in numeric:
                issues.append(Issue(subject, f"{cond.op} needs a number fact, '{cond.fact}' is not", f"{path}.op"))
            if not _type_ok("number", cond.value):
                issues.append(Issue(subject, f"{cond.op} needs a number value", f"{path}.value"))
        if cond.op in ("in", "not_in") and not isinstance(cond.value, tuple):
            issues.append(Issue(subject, f"{cond.op} needs a list value", f"{path}.value"))
        return issues
    for j, sub in enumerate(cond.children()):
        key = "all" if cond.all is not None else "any" if cond.any is not None else "not"
        sub_path = f"{path}.{key}[{j}]" if key != "not" else f"{path}.not"
        issues.extend(_check_condition(sub, subject, sub_path, known, numeric))
    return issues


def _type_ok(fact_type: str, value: Any) -> bool:
    if fact_type == "boolean":
        return isinstance(value, bool)
    if fact_type == "string":
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return fact_type == "number" or isinstance(value, int) or float(value).is_integer()


def _band_key(band: Any) -> float:
    return -math.inf if band.min is None else band.min


def _depth(gid: str, parent: dict[str, str | None]) -> int:
    depth, seen = 0, set()
    node: str | None = gid
    while node is not None and node in parent and node not in seen:
        seen.add(node)
        node = parent[node]
        depth += 1
    return depth


def _has_cycle(gid: str, parent: dict[str, str | None]) -> bool:
    seen: set[str] = set()
    node: str | None = gid
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = parent.get(node)
    return False


def _fmt(x: Number) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)
